/**
 * The widget's styles: every rule under .ngw, using the host page's fonts and
 * colours where it can (currentColor, inherit), so it sits in any article page.
 * A module of its own with no DOM code: the server imports it too, to name the
 * injected <style> element by hash in the demo pages' Content-Security-Policy.
 */
const SOURCE = `
.ngw{--ngw-accent:#b4121b;--ngw-muted:#5f6368;--ngw-line:rgba(0,0,0,.12);--ngw-soft:rgba(0,0,0,.04);
  font:inherit;color:inherit;line-height:1.55;max-width:46rem}
.ngw *{box-sizing:border-box}
.ngw-title{font-size:2rem;line-height:1.2;margin:0 0 .5rem}
.ngw-standfirst{font-size:1.2rem;color:var(--ngw-muted);margin:0 0 .75rem}
.ngw-byline{font-size:.9rem;color:var(--ngw-muted);margin:0 0 .25rem;display:flex;gap:.75rem;flex-wrap:wrap}
.ngw-authors{font-weight:600;color:inherit}
.ngw-updated{font-size:.85rem;color:var(--ngw-accent);margin:0}
.ngw-updated[hidden]{display:none}
.ngw-corrections{margin:.5rem 0 0;padding:.5rem .75rem;border-left:3px solid var(--ngw-accent);background:var(--ngw-soft)}
.ngw-corrections[hidden]{display:none}
.ngw-correction{font-size:.9rem;margin:0}
.ngw-correction+.ngw-correction{margin-top:.35rem}
.ngw-lead{margin:1rem 0 0}.ngw-lead[hidden]{display:none}
.ngw-lead img{display:block;width:100%;height:auto;background:var(--ngw-soft)}
.ngw-lead figcaption{font-size:.85rem;color:var(--ngw-muted);margin-top:.35rem}
.ngw-credit{margin-left:.5rem;opacity:.8}
.ngw-body{margin:1.25rem 0 2rem}
.ngw-body img{max-width:100%}
.ngw-flash .ngw-story-head{animation:ngw-flash 2s ease-out}
@keyframes ngw-flash{from{background:#fff6c4}to{background:transparent}}
.ngw-discussion{border-top:2px solid currentColor;padding-top:.75rem;margin-top:1.5rem}
.ngw-discussion-head{display:flex;align-items:baseline;justify-content:space-between;gap:1rem}
.ngw-comments-title,.ngw-topic-title{font-size:1.3rem;margin:0 0 .5rem}
.ngw-status{font-size:.8rem;color:var(--ngw-muted);margin:0;min-height:1em}
.ngw-status[data-state=live]::before{content:"";display:inline-block;width:.5em;height:.5em;border-radius:50%;
  background:#1e8e3e;margin-right:.4em;vertical-align:.1em}
.ngw-status[data-state=reconnecting]{color:#a15c00}
.ngw-comments,.ngw-replies,.ngw-cards{list-style:none;margin:0;padding:0}
.ngw-replies{margin-left:1.25rem;padding-left:1rem;border-left:2px solid var(--ngw-line)}
.ngw-comment{padding:.75rem 0 0;outline:none}
.ngw-comment-main{padding-bottom:.5rem;border-bottom:1px solid var(--ngw-line)}
.ngw-comment-head{font-size:.9rem}
.ngw-author{font-weight:700;color:inherit}
.ngw-inreply,.ngw-time{color:var(--ngw-muted);font-size:.85rem}
.ngw-comment-body{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.ngw-pending .ngw-comment-main{opacity:.75}
.ngw-awaiting{margin:.25rem 0;font-size:.85rem;font-style:italic;color:#a15c00}
.ngw-new>.ngw-comment-main,.ngw-card.ngw-new{animation:ngw-flash 3s ease-out}
.ngw-link{background:none;border:0;padding:0;font:inherit;font-size:.85rem;color:var(--ngw-accent);cursor:pointer}
.ngw-link:hover{text-decoration:underline}
.ngw-link[disabled]{color:var(--ngw-muted);cursor:default}
.ngw-more{margin:.5rem 0 0}
.ngw-more:empty{display:none}
.ngw-form{margin:1.5rem 0;padding:1rem;background:var(--ngw-soft);border-radius:4px}
.ngw-comment .ngw-form{margin:.75rem 0}
.ngw-form-head{display:flex;align-items:baseline;justify-content:space-between}
.ngw-form-title{font-size:1.1rem;margin:0}
.ngw-form-note{font-size:.85rem;color:var(--ngw-muted);margin:.25rem 0 .75rem}
.ngw-required{color:var(--ngw-accent)}
.ngw-field{margin:0 0 .75rem}
.ngw-field label{display:block;font-size:.9rem;font-weight:600;margin-bottom:.2rem}
.ngw-field input,.ngw-field textarea{width:100%;font:inherit;padding:.45rem .5rem;border:1px solid #9aa0a6;
  border-radius:3px;background:#fff;color:#202124}
.ngw-field-body textarea{resize:vertical}
.ngw-field-error{display:block;color:var(--ngw-accent);font-size:.85rem}
.ngw-field-error:empty{display:none}
.ngw-hp{position:absolute!important;left:-10000px!important;width:1px;height:1px;overflow:hidden}
.ngw-form-actions{margin:0}
.ngw-submit{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:0;border-radius:3px;background:var(--ngw-accent);
  color:#fff;cursor:pointer}
.ngw-submit[disabled]{opacity:.6;cursor:progress}
.ngw-form-status{font-size:.9rem;margin:.5rem 0 0;min-height:1em}
.ngw-error{color:var(--ngw-accent)}
.ngw-closed{color:var(--ngw-muted);font-style:italic}
.ngw-pill{position:fixed;left:50%;bottom:1.25rem;transform:translateX(-50%);z-index:2147483000;font:inherit;
  font-size:.9rem;font-weight:600;padding:.5rem 1rem;border:0;border-radius:999px;background:var(--ngw-accent);
  color:#fff;box-shadow:0 2px 8px rgba(0,0,0,.25);cursor:pointer}
.ngw-pill[hidden]{display:none}
.ngw-topic-mode .ngw-pill{top:1.25rem;bottom:auto}
.ngw-card{padding:.6rem 0;border-bottom:1px solid var(--ngw-line);outline:none}
.ngw-card-title{font-size:1.05rem;margin:0 0 .2rem}
.ngw-card-title a{color:inherit;text-decoration:none}
.ngw-card-title a:hover{text-decoration:underline}
.ngw-card-standfirst{margin:0 0 .2rem;font-size:.92rem}
.ngw-meta{font-size:.85rem;color:var(--ngw-muted);margin:0}
.ngw-topic-description{color:var(--ngw-muted);font-size:.9rem;margin:0 0 .5rem}
.ngw-loading{color:var(--ngw-muted)}
.ngw-live{margin:1.5rem 0 2rem}
.ngw-live-head{display:flex;align-items:center;gap:.75rem;margin:0 0 .75rem}
.ngw-live-badge{font:700 .8rem/1 system-ui,sans-serif;letter-spacing:.08em;color:#fff;background:var(--ngw-accent);
  padding:.3rem .5rem;border-radius:3px}
.ngw-live-badge::before{content:"";display:inline-block;width:.5em;height:.5em;border-radius:50%;background:#fff;
  margin-right:.4em;vertical-align:.05em;animation:ngw-pulse 1.5s infinite}
@keyframes ngw-pulse{50%{opacity:.3}}
.ngw-live-ended{margin:0;font-weight:600;color:var(--ngw-muted)}
.ngw-live [hidden]{display:none}
.ngw-keyevents{background:var(--ngw-soft);border-left:3px solid var(--ngw-accent);padding:.6rem 1rem;margin:0 0 1rem}
.ngw-keyevents-title{font-size:1rem;margin:0 0 .3rem}
.ngw-keyevents-list{list-style:none;margin:0;padding:0}
.ngw-keyevent{margin:.2rem 0}
.ngw-keyevent .ngw-link{text-align:left;font-size:.92rem;color:inherit}
.ngw-keyevent time{font-weight:700;color:var(--ngw-accent)}
.ngw-live-banner{position:fixed;top:1rem;left:50%;transform:translateX(-50%);z-index:2147483000;font:inherit;
  font-size:.9rem;font-weight:600;padding:.5rem 1.1rem;border:0;border-radius:999px;background:var(--ngw-accent);
  color:#fff;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.ngw-live-entries{list-style:none;margin:0;padding:0}
.ngw-entry{border-top:1px solid var(--ngw-line);padding:.75rem 0;outline:none}
.ngw-entry-pinned{border:2px solid var(--ngw-accent);border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}
.ngw-entry-key{border-left:3px solid var(--ngw-accent);padding-left:.75rem}
.ngw-entry-head{display:flex;gap:.75rem;flex-wrap:wrap;align-items:baseline;font-size:.85rem;color:var(--ngw-muted)}
.ngw-rel{font-weight:700;color:inherit}
.ngw-entry-flag{font-weight:700;text-transform:uppercase;font-size:.72rem;letter-spacing:.05em;color:var(--ngw-accent)}
.ngw-entry-byline{font-weight:600}
.ngw-entry-title{font-size:1.15rem;margin:.3rem 0 .2rem}
.ngw-entry-body p{margin:.4rem 0}
.ngw-entry-updated{font-size:.8rem;color:var(--ngw-muted);margin:.2rem 0 0;font-style:italic}
.ngw-entry.ngw-new{animation:ngw-flash 3s ease-out}
`;

/** Exactly the text of the <style> element the widget adds to the page. */
export const WIDGET_CSS = SOURCE.replace(/\n\s*/g, "");
