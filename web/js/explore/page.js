// The lesson's interactive blocks (web/tools/explore-blocks.mjs writes them from the
// Markdown): "predict, then run" questions, and figures such as "drag the line".
// Loaded by lesson.js only on pages that have some, after the cells are set up.

import points from "../../lessons/data/lesson-points.json" with { type: "json" };
import { DragLine } from "./drag-line.js";
import { setUpQuestions } from "./questions.js";

/** The figures a ```widget NAME fence can ask for. */
const WIDGETS = {
  "drag-line": (figure) => new DragLine(figure, points),
};

export function setUpExplore(root = document) {
  const questions = setUpQuestions(root);
  const widgets = [...root.querySelectorAll("figure.widget[data-widget]")].map((figure) => {
    try {
      return WIDGETS[figure.dataset.widget](figure);
    } catch (error) {
      const problem = document.createElement("p");
      problem.className = "widget-problem";
      problem.textContent = `This interactive figure could not be drawn in this browser (${error.message}); ` +
        "the code cells below show the same ideas.";
      figure.append(problem);
      return null;
    }
  });
  return { questions, widgets };
}
