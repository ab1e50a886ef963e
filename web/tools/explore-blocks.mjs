// The lessons' interactive blocks, written as content (web/lessons/*.md), rendered by markdown.mjs:
//
//   ```widget drag-line          an interactive figure drawn by web/js/explore/ (no Python);
//   Drag the two handles...      the body (Markdown, optional) is its caption
//   ```
//
//   ```question id=r2-noise      a "predict, then run" question, placed before the cell that
//   The noise grows... R²?       answers it (the next ```python cell= fence of the page):
//   - [ ] above 0.9              choices, the right one ticked [x];
//   - [x] between 0.1 and 0.5    or `answer: 1` and `tolerance: 0` for a number;
//   right: Yes: ...              the explanations shown after a right or a wrong answer;
//   wrong: Most of the spread... `check:` a Python expression, true once the answering cell has
//   check: 0.1 < r2 < 0.5        run (for a number `value:`, the number it computes): the CPython
//   ```                          tests run the cell and evaluate it, so text and code agree.
//
// Each key's text may go on over the following lines.  The prompt is what comes before the
// first choice or key.  Mistakes stop the build with a sentence saying what to write.

import { escapeHTML } from "./markdown.mjs";

export const WIDGETS = new Set(["drag-line"]);
const WIDGET_FENCE = /^widget(?:\s+(\S+))?\s*$/;
const QUESTION_FENCE = /^question(?:\s+id=([a-z0-9]+(?:-[a-z0-9]+)*))?\s*$/;
const KEYS = ["answer", "tolerance", "right", "wrong", "check", "value"];
const KEY_LINE = new RegExp(`^(${KEYS.join("|")}):\\s*(.*)$`);
const CHOICE_LINE = /^- \[( |x|X)\]\s+(.+)$/;

/** Is this fence one of ours?  (The info string's first word.) */
export function isExploreFence(info) {
  return /^(widget|question)\b/.test(info);
}

/** A ```question fence's text as data: { id, prompt, choices, answer, tolerance, right, wrong, check, value }. */
export function parseQuestion(info, body) {
  const fence = QUESTION_FENCE.exec(info);
  if (!fence?.[1]) throw new Error(`cannot read the question fence \`\`\`${info} (write \`\`\`question id=kebab-case-name)`);
  const id = fence[1];
  const problem = (what) => new Error(`question ${id}: ${what}`);
  const question = { id, prompt: "", choices: [] };
  let current = "prompt"; // where a continuation line goes
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const choice = CHOICE_LINE.exec(line);
    const key = KEY_LINE.exec(line);
    if (choice) {
      question.choices.push({ text: choice[2], correct: choice[1] !== " " });
      current = question.choices.length - 1;
    } else if (key) {
      if (key[1] in question) throw problem(`\`${key[1]}:\` is given twice`);
      question[key[1]] = key[2];
      current = key[1];
    } else if (typeof current === "number") {
      question.choices[current].text += ` ${line}`;
    } else {
      question[current] = question[current] ? `${question[current]} ${line}` : line;
    }
  }
  if (!question.prompt) throw problem("the question's text (before the choices) is missing");
  for (const needed of ["right", "wrong"]) {
    if (!question[needed]) throw problem(`\`${needed}:\` (the explanation after a ${needed} answer) is missing`);
  }
  if (question.choices.length) {
    if (question.choices.length < 2) throw problem("give at least two choices");
    if (question.choices.filter((c) => c.correct).length !== 1) throw problem("tick exactly one choice, as - [x]");
    if ("answer" in question) throw problem("give either choices or `answer:`, not both");
    if (!question.check) throw problem("`check:` (a Python expression the answering cell makes true) is missing");
  } else {
    const answer = Number(question.answer);
    const tolerance = Number(question.tolerance ?? 0);
    if (question.answer === undefined || !Number.isFinite(answer)) throw problem("give choices (- [ ] …) or a number as `answer:`");
    if (!Number.isFinite(tolerance) || tolerance < 0) throw problem("`tolerance:` must be a number ≥ 0");
    if (!question.value) throw problem("`value:` (the Python expression that computes the answer) is missing");
    Object.assign(question, { answer, tolerance });
  }
  return question;
}

/**
 * A question as HTML that reads well before any script (the form's button is enabled by
 * web/js/explore/questions.js).  The explanations wait in <template>s until an answer is given.
 */
export function questionHTML(question, inline) {
  const name = `question-${question.id}`;
  const inputs = question.choices.length
    ? question.choices.map((choice, index) =>
      `<label class="question-choice"><input type="radio" name="${name}" value="${index}"` +
      `${choice.correct ? " data-correct" : ""}> <span>${inline(choice.text)}</span></label>`).join("\n")
    : `<label class="question-number">Your answer <input type="text" name="${name}" inputmode="decimal" ` +
      'autocomplete="off" spellcheck="false" size="8"></label>';
  const numberData = question.choices.length ? "" : ` data-answer="${question.answer}" data-tolerance="${question.tolerance}"`;
  return (
    `<section class="question" data-question-id="${question.id}"${numberData} aria-labelledby="${name}-label">\n` +
    '<form class="question-form" novalidate>\n' +
    `<fieldset><legend id="${name}-label"><span class="question-badge">Predict, then run</span> ` +
    `${inline(question.prompt)}</legend>\n${inputs}\n</fieldset>\n` +
    '<div class="question-actions"><button type="submit" class="question-submit" disabled>Check my answer</button></div>\n' +
    "</form>\n" +
    '<div class="question-feedback" role="status"></div>\n' +
    `<template class="question-right">${inline(question.right)}</template>\n` +
    `<template class="question-wrong">${inline(question.wrong)}</template>\n` +
    "</section>\n"
  );
}

/** A ```widget fence as the element web/js/explore/widgets.js builds the figure in. */
export function widgetHTML(info, body, render) {
  const name = WIDGET_FENCE.exec(info)?.[1];
  if (!name || !WIDGETS.has(name)) {
    throw new Error(`unknown widget \`\`\`${info} (known: ${[...WIDGETS].map((w) => `widget ${w}`).join(", ")})`);
  }
  const caption = body.trim() ? `<figcaption class="widget-caption">${render(body)}</figcaption>\n` : "";
  return `<figure class="widget" data-widget="${escapeHTML(name)}">\n${caption}</figure>\n`;
}

/**
 * Handles a ```widget or ```question fence for renderLesson; `questions` collects the page's
 * questions, each waiting for the next cell (`answerCell`) to be the one that answers it.
 */
export function exploreFence(info, body, md, questions) {
  if (info.startsWith("widget")) return widgetHTML(info, body, (text) => md.render(text));
  const question = parseQuestion(info, body);
  if (questions.some((q) => q.id === question.id)) throw new Error(`two questions are named ${question.id}`);
  questions.push({ ...question, answerCell: null });
  return questionHTML(question, (text) => md.renderInline(text));
}

/** Called for each cell: the questions before it (not yet answered by a cell) are answered by it. */
export function answerQuestions(questions, cellId) {
  for (const question of questions) question.answerCell ??= cellId;
}

/** After the page: every question must have a cell after it. */
export function checkQuestionsAnswered(questions) {
  const orphan = questions.find((q) => !q.answerCell);
  if (orphan) throw new Error(`question ${orphan.id} has no cell after it to answer it (put it before that cell)`);
}
