// A lesson page's exercise progress under its title: "k of n exercises solved", and Start
// over for the whole page (it asks first; every exercise gets its starter back, as an
// undoable edit, and its progress is forgotten).

import { button } from "./controls.js";
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
    this.confirmBox = document.createElement("div");
    this.confirmBox.className = "exercise-confirm";
    this.confirmBox.setAttribute("role", "group");
    this.confirmBox.hidden = true;
    this.element.append(this.count, this.startOverButton, this.confirmBox);
    this.startOverButton.addEventListener("click", () => this.askToStartOver());
    this.confirmBox.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.closeConfirm();
      }
    });
    this.update();
  }

  update() {
    this.count.textContent = countText(this.progress.count(this.exercises.map((exercise) => exercise.id)));
  }

  askToStartOver() {
    const question = document.createElement("p");
    question.className = "confirm-question";
    question.id = "confirm-page-start-over";
    question.textContent = `Start all ${this.exercises.length} exercises of this page over? Their starter ` +
      "code goes back in the editors (Ctrl+Z in each brings your code back) and their progress and hints are forgotten.";
    const go = button("confirm-yes", "Start the page over");
    const cancel = button("confirm-no", "Cancel");
    go.addEventListener("click", async () => {
      this.closeConfirm(false);
      for (const exercise of this.exercises) await exercise.startOver();
      this.update();
      this.startOverButton.focus();
    });
    cancel.addEventListener("click", () => this.closeConfirm());
    this.confirmBox.setAttribute("aria-labelledby", question.id);
    this.confirmBox.replaceChildren(question, go, cancel);
    this.confirmBox.hidden = false;
    go.focus();
  }

  closeConfirm(refocus = true) {
    this.confirmBox.hidden = true;
    this.confirmBox.replaceChildren();
    if (refocus) this.startOverButton.focus();
  }
}
