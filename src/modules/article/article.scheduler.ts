import type { Logger } from "pino";
import type { Clock } from "../../shared/clock";
import type { ArticleEditorService } from "./article-editor.service";

/**
 * Puts scheduled articles live on time with nobody calling anything: it sleeps
 * until the next one is due (or at most `intervalMs`, to notice schedules made
 * on other instances), and catches up on everything overdue at start, so a
 * restart loses nothing.
 */
export class ArticleScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;

  constructor(
    private readonly editor: ArticleEditorService,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Publishes whatever is due now; returns how many went live. */
  runDue(): Promise<number> {
    return this.editor.publishDue();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let delay = this.intervalMs;
    try {
      const published = await this.runDue();
      if (published) this.logger.info({ published }, "scheduled articles went live");
      const next = await this.editor.nextDue();
      if (next) delay = Math.min(delay, Math.max(50, next.getTime() - this.clock.now().getTime()));
    } catch (error) {
      this.logger.warn({ err: error }, "scheduler tick failed; retrying");
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), delay);
  }
}
