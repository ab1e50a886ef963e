// A lesson page's exercise progress under its title: "k of n exercises solved", and Start
// over for the whole page (it asks first; every exercise gets its starter back, as an
// undoable edit, and its progress is forgotten).

import { MOD_KEY, button } from "./controls.js";
import { InlineConfirm } from "./inline-confirm.js";
import { countText } from "./progress.js";

export class ExerciseSummary {
  /** exercises: the page's Exercise objects; progress: their ExerciseProgress. */
  constructor(exercises, progress) {
    this.exercises = exercises;
    this.progress = progress;
    this.element = document.createElement("div");
    this.element.className = "exercise-summary";
    this.count = document.createElement("p");
    this.count.className = "exercise-count";
    this.count.setAttribute("role", "status");
    this.startOverButton = button("start-over-page", "Start over on this page",
      "Put back every exercise's starter code and forget this page's exercise progress (asks first)");
    this.confirmation = new InlineConfirm();
    this.element.append(this.count, this.startOverButton, this.confirmation.element);
    this.startOverButton.addEventListener("click", () => this.askToStartOver());
    this.update();
  }

  update() {
    this.count.textContent = countText(this.progress.count(this.exercises.map((exercise) => exercise.id)));
  }

  askToStartOver() {
    const n = this.exercises.length;
    this.confirmation.ask(
      `Start ${n === 1 ? "the exercise" : `all ${n} exercises`} of this page over? The starter code goes back ` +
        `in the editors (${MOD_KEY}+Z in each brings your code back) and the progress and hints are forgotten.`,
      "Start the page over",
      async () => {
        for (const exercise of this.exercises) await exercise.startOver();
        this.update();
        this.startOverButton.focus();
      },
      this.startOverButton,
    );
  }
}
