// A question asked in the page itself, before something that replaces the learner's work
// or tells them an answer: its text, a button that does it (focused), and Cancel; Esc
// cancels too, and the focus goes back to the control that asked.

import { button } from "./controls.js";

let count = 0;

export class InlineConfirm {
  constructor() {
    this.element = document.createElement("div");
    this.element.className = "exercise-confirm";
    this.element.setAttribute("role", "group");
    this.element.hidden = true;
    this.questionId = `confirm-${++count}`;
    this.returnFocus = null;
    this.element.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault(); // (not a page-wide Stop either)
      event.stopPropagation();
      this.close();
    });
  }

  /** Ask `question`; the `yes` button runs action(); returnFocus gets the focus back. */
  ask(question, yes, action, returnFocus) {
    const text = document.createElement("p");
    text.className = "confirm-question";
    text.id = this.questionId;
    text.textContent = question;
    const go = button("confirm-yes", yes);
    const cancel = button("confirm-no", "Cancel");
    go.addEventListener("click", () => {
      this.close(false);
      action();
    });
    cancel.addEventListener("click", () => this.close());
    this.element.setAttribute("aria-labelledby", text.id);
    this.element.replaceChildren(text, go, cancel);
    this.element.hidden = false;
    this.returnFocus = returnFocus;
    go.focus();
  }

  close(refocus = true) {
    this.element.hidden = true;
    this.element.replaceChildren();
    if (refocus) this.returnFocus?.focus();
  }
}
