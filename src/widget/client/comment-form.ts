import { h, randomKey } from "./dom";
import type { CommentData } from "./queries";
import { ADD_COMMENT } from "./queries";
import { GqlRequestError, httpRequest } from "./transport";

export interface FormHooks {
  endpoint: string;
  articleId(): string;
  /** The server accepted the comment (APPROVED or PENDING). */
  posted(comment: CommentData, parentId: string | null): void;
}

const FIELDS = ["body", "authorName", "email", "website"] as const;
type FieldName = (typeof FIELDS)[number];

let formCount = 0;

/**
 * The comment form of a news page. One idempotency key per comment: a double
 * click, or a retry after a network error, posts it once.
 */
export class CommentForm {
  readonly el: HTMLFormElement;
  private readonly home: HTMLElement;
  private readonly inputs: Record<FieldName, HTMLInputElement | HTMLTextAreaElement>;
  private readonly errors: Record<FieldName, HTMLElement>;
  private readonly honeypot: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly title: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private parentId: string | null = null;
  private key: string | null = null;
  private busy = false;

  constructor(private readonly hooks: FormHooks) {
    const n = ++formCount;
    const id = (name: string) => `ngw-${n}-${name}`;
    const field = (
      name: FieldName,
      label: string,
      required: boolean,
      control: HTMLInputElement | HTMLTextAreaElement,
    ) => {
      control.id = id(name);
      control.name = name;
      if (required) control.required = true;
      const error = h("span", { class: "ngw-field-error", id: id(`${name}-error`), "aria-live": "polite" });
      control.setAttribute("aria-describedby", error.id);
      this.errors[name] = error;
      this.inputs[name] = control;
      return h(
        "p",
        { class: `ngw-field ngw-field-${name}` },
        h("label", { for: control.id }, label, required ? h("span", { class: "ngw-required" }, " *") : null),
        control,
        error,
      );
    };
    this.inputs = {} as CommentForm["inputs"];
    this.errors = {} as CommentForm["errors"];
    this.honeypot = h("input", {
      type: "text",
      name: "honeypot",
      id: id("honeypot"),
      tabindex: -1,
      autocomplete: "off",
    });
    this.submit = h("button", { type: "submit", class: "ngw-submit" }, "Post comment");
    this.status = h("p", { class: "ngw-form-status", role: "status", "aria-live": "polite" });
    this.title = h("h3", { class: "ngw-form-title" }, "Leave a comment");
    this.cancel = h(
      "button",
      { type: "button", class: "ngw-link ngw-cancel", hidden: true, onclick: () => this.replyTo(null) },
      "Cancel reply",
    );
    this.el = h(
      "form",
      { class: "ngw-form", onsubmit: (e: Event) => this.onSubmit(e), oninput: () => this.onInput() },
      h("div", { class: "ngw-form-head" }, this.title, this.cancel),
      h(
        "p",
        { class: "ngw-form-note" },
        "Your email address will not be published. Required fields are marked ",
        h("span", { class: "ngw-required" }, "*"),
      ),
      field("body", "Comment", true, h("textarea", { rows: 5, maxlength: 5000 })),
      field("authorName", "Name", true, h("input", { type: "text", maxlength: 80, autocomplete: "name" })),
      field("email", "Email", true, h("input", { type: "email", maxlength: 254, autocomplete: "email" })),
      field("website", "Website", false, h("input", { type: "url", maxlength: 2048, autocomplete: "url" })),
      // Hidden from people (and from assistive technology); bots fill it in and their comment waits for moderation.
      h(
        "p",
        { class: "ngw-hp", "aria-hidden": "true" },
        h("label", { for: this.honeypot.id }, "Leave this field empty"),
        this.honeypot,
      ),
      h("p", { class: "ngw-form-actions" }, this.submit),
      this.status,
    );
    this.home = h("div", { class: "ngw-form-home" }, this.el);
  }

  /** Where the form lives when it is not answering a comment. */
  get container(): HTMLElement {
    return this.home;
  }

  /** Moves the form under a comment to answer it, or back home (null). */
  replyTo(comment: CommentData | null, slot?: HTMLElement): void {
    this.parentId = comment ? comment.id : null;
    this.key = null;
    this.title.textContent = comment ? `Reply to ${comment.authorName}` : "Leave a comment";
    this.cancel.hidden = !comment;
    (comment && slot ? slot : this.home).appendChild(this.el);
    if (comment) this.inputs.body.focus();
  }

  private onInput(): void {
    // A different comment needs a key of its own (the server refuses a key reused for other content).
    if (!this.busy) this.key = null;
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.submit.disabled = true;
    this.el.setAttribute("aria-busy", "true");
    this.status.textContent = "Posting…";
    this.status.className = "ngw-form-status";
    for (const name of FIELDS) this.errors[name].textContent = "";
    const parentId = this.parentId;
    this.key ??= randomKey();
    const value = (name: FieldName) => this.inputs[name].value.trim();
    const input = {
      articleId: this.hooks.articleId(),
      parentId,
      authorName: value("authorName"),
      email: value("email"),
      website: value("website") || null,
      body: this.inputs.body.value.trim(),
      honeypot: this.honeypot.value || null,
      idempotencyKey: this.key,
    };
    try {
      const data = await httpRequest<{ addComment: { comment: CommentData } }>(this.hooks.endpoint, ADD_COMMENT, {
        input,
      });
      const comment = data.addComment.comment;
      this.key = null;
      this.inputs.body.value = "";
      this.replyTo(null);
      this.status.textContent =
        comment.status === "APPROVED"
          ? "Thanks! Your comment has been posted."
          : "Thanks! Your comment is awaiting moderation.";
      this.hooks.posted(comment, parentId);
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
      this.submit.disabled = false;
      this.el.removeAttribute("aria-busy");
    }
  }

  private showError(error: unknown): void {
    this.status.className = "ngw-form-status ngw-error";
    if (!(error instanceof GqlRequestError)) {
      this.status.textContent = "Something went wrong. Please try again.";
      return;
    }
    // After a network error the same key is kept: the retry cannot post twice.
    if (!error.network) this.key = null;
    const first = error.errors[0]?.extensions;
    switch (error.code) {
      case "BAD_USER_INPUT": {
        const fields = first?.fields ?? {};
        let shown = false;
        for (const name of FIELDS) {
          if (fields[name]) {
            this.errors[name].textContent = `${this.labelOf(name)} ${fields[name]}.`;
            shown = true;
          }
        }
        this.status.textContent = shown ? "Please check the fields marked above." : error.message;
        break;
      }
      case "RATE_LIMITED":
        this.status.textContent = `You are commenting too quickly. Please try again in ${first?.retryAfterSeconds ?? 60} seconds.`;
        break;
      case "FORBIDDEN":
      case "NOT_FOUND":
        this.status.textContent = error.message;
        break;
      default:
        this.status.textContent = error.network
          ? "Could not reach the server. Please try again."
          : "Something went wrong. Please try again.";
    }
  }

  private labelOf(name: FieldName): string {
    return { body: "Comment", authorName: "Name", email: "Email", website: "Website" }[name];
  }
}
