// "Predict, then run": the learner commits to an answer before running the cell below.
//
// Each <section class="question"> comes from a ```question fence of the lesson
// (web/tools/explore-blocks.mjs): radio buttons (the right one marked data-correct) or a
// number field (data-answer, data-tolerance), and the explanations for a right and a wrong
// answer in <template>s.  The answer is kept in this browser (SafeStorage, key
// progress:question:<id>, { answer, correct, answeredAt }) and shown again after a reload.
//
// The section carries data-state ("unanswered" | "right" | "wrong"), for CSS and tests.

import { SafeStorage } from "../storage.js";

const storage = new SafeStorage();
const key = (id) => `progress:question:${id}`;

/** "2,5" or " 2.5 " -> 2.5; anything that is not a plain number -> NaN. */
export function readNumber(text) {
  const cleaned = text.trim().replace(/\s+/g, "").replace(",", ".").replace("−", "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : Number.NaN;
}

class Question {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.questionId;
    this.form = root.querySelector(".question-form");
    this.feedback = root.querySelector(".question-feedback");
    this.radios = [...root.querySelectorAll('input[type="radio"]')];
    this.number = root.querySelector('input[type="text"]');
    this.submit = root.querySelector(".question-submit");
    this.again = document.createElement("button");
    Object.assign(this.again, { type: "button", className: "question-again", textContent: "Answer again", hidden: true });
    this.submit.after(this.again);
    this.submit.disabled = false;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.answer();
    });
    this.again.addEventListener("click", () => this.reset());
    const kept = storage.get(key(this.id));
    if (kept && typeof kept === "object" && "answer" in kept) this.restore(kept.answer);
    else this.root.dataset.state = "unanswered";
  }

  /** The learner's answer as stored: a choice's index, or the number typed. */
  given() {
    if (this.number) return readNumber(this.number.value);
    const checked = this.radios.findIndex((radio) => radio.checked);
    return checked < 0 ? null : checked;
  }

  isRight(answer) {
    if (this.number) {
      const expected = Number(this.root.dataset.answer);
      return Math.abs(answer - expected) <= Number(this.root.dataset.tolerance) + 1e-12;
    }
    return this.radios[answer]?.hasAttribute("data-correct") ?? false;
  }

  answer() {
    const answer = this.given();
    if (answer === null || Number.isNaN(answer)) {
      this.root.dataset.state = "unanswered";
      this.feedback.textContent = this.number
        ? "Type a number first (for example 2.5), then check it."
        : "Choose one of the answers first, then check it.";
      (this.number ?? this.radios[0]).focus();
      return;
    }
    storage.set(key(this.id), { answer, correct: this.isRight(answer), answeredAt: Date.now() });
    this.show(answer);
  }

  restore(answer) {
    if (this.number) {
      if (typeof answer !== "number" || !Number.isFinite(answer)) return this.reset({ focus: false });
      this.number.value = String(answer);
    } else {
      if (!this.radios[answer]) return this.reset({ focus: false }); // the question changed since: ask again
      this.radios[answer].checked = true;
    }
    return this.show(answer);
  }

  show(answer) {
    const right = this.isRight(answer);
    this.root.dataset.state = right ? "right" : "wrong";
    const template = this.root.querySelector(right ? ".question-right" : ".question-wrong");
    const verdict = document.createElement("strong");
    verdict.className = "question-verdict";
    verdict.textContent = right ? "Right. " : "Not quite. ";
    const explanation = document.createElement("span");
    explanation.append(template.content.cloneNode(true));
    const next = document.createElement("span");
    next.className = "question-next";
    next.textContent = " Now run the code below and see for yourself.";
    this.feedback.replaceChildren(verdict, explanation, next);
    for (const input of [...this.radios, this.number].filter(Boolean)) input.disabled = true;
    this.submit.hidden = true;
    this.again.hidden = false;
  }

  reset({ focus = true } = {}) {
    storage.remove(key(this.id));
    this.root.dataset.state = "unanswered";
    this.feedback.replaceChildren();
    for (const input of [...this.radios, this.number].filter(Boolean)) {
      input.disabled = false;
      input.checked = false;
    }
    if (this.number) this.number.value = "";
    this.submit.hidden = false;
    this.again.hidden = true;
    if (focus) (this.number ?? this.radios[0]).focus();
  }
}

/** Make every question of the page answerable. */
export function setUpQuestions(root = document) {
  return [...root.querySelectorAll(".question[data-question-id]")].map((element) => new Question(element));
}
