// What the page's controls share: how a button is made, and the name of the key that
// shortcuts use on this keyboard.

/** "⌘" on Apple's keyboards, "Ctrl" elsewhere: shortcuts are named with it ("Ctrl+Enter"). */
export const MOD_KEY = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? "") ? "⌘" : "Ctrl";

/** A <button type="button"> with a class and a text; title, if given, is its tooltip. */
export function button(className, text, title = "") {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  if (title) element.title = title;
  return element;
}
