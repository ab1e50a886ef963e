// Notices: short messages above the full editor (a link was damaged, earlier code was
// replaced, storage is full, a link was copied), each with optional action buttons.
// At most one notice per key: showing a key again replaces its notice.  Text is text,
// never HTML.

export class Notices {
  constructor(container) {
    this.container = container;
    this.container.setAttribute("aria-live", "polite");
    this.byKey = new Map();
  }

  /**
   * Show a notice.  kind: "info" | "success" | "warning" | "error"; actions: [{ label, run,
   * className }]; extra: an element placed after the text (e.g. a link field); onDismiss:
   * called when the learner closes it (dismissLabel names that button).  Returns the element.
   */
  show(key, text, { kind = "info", actions = [], extra = null, dismissible = true, onDismiss, dismissLabel } = {}) {
    const notice = document.createElement("div");
    notice.className = `notice notice-${kind}`;
    notice.dataset.notice = key;
    if (kind === "error") notice.setAttribute("role", "alert");
    const message = document.createElement("p");
    message.className = "notice-text";
    message.textContent = text;
    notice.append(message);
    if (extra) notice.append(extra);
    const buttons = document.createElement("div");
    buttons.className = "notice-actions";
    for (const { label, run, className = "" } of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = className;
      button.textContent = label;
      button.addEventListener("click", () => run(button));
      buttons.append(button);
    }
    if (dismissible) {
      const close = document.createElement("button");
      close.type = "button";
      close.className = "notice-close";
      close.textContent = "×";
      close.setAttribute("aria-label", dismissLabel ?? "Dismiss this message");
      close.title = dismissLabel ?? "Dismiss";
      close.addEventListener("click", () => {
        this.hide(key);
        onDismiss?.();
      });
      buttons.append(close);
    }
    notice.append(buttons);
    const old = this.byKey.get(key);
    if (old) old.replaceWith(notice);
    else this.container.append(notice);
    this.byKey.set(key, notice);
    return notice;
  }

  hide(key) {
    this.byKey.get(key)?.remove();
    this.byKey.delete(key);
  }

  /** Hide every notice except the given keys. */
  hideAllBut(...keep) {
    for (const key of [...this.byKey.keys()]) if (!keep.includes(key)) this.hide(key);
  }
}
