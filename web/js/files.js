// Code as files: download the editor's code as a .py file, open a .py file from the disk.
// Nothing is uploaded anywhere: the file is read in the page.

/** The largest file the editor opens: a Python lesson file is a few kilobytes. */
export const MAX_FILE_BYTES = 512 * 1024;

const TEXT_FILE = /\.(py|pyw|txt)$/i;

/** A file name for the download: safe characters only, always ending in .py. */
export function pyFileName(name) {
  const stem = String(name ?? "")
    .replace(/\.(py|pyw|txt)$/i, "")
    .replace(/[^\w.-]+/g, "_")
    .replace(/^[._]+|_+$/g, "")
    .slice(0, 80);
  return `${stem || "code"}.py`;
}

/** Let the browser save `text` as `fileName` (a .py file). */
export function downloadText(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/x-python;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function kilobytes(bytes) {
  return `${Math.ceil(bytes / 1024).toLocaleString("en")} KB`;
}

/**
 * The text of a Python file the learner picked.  Throws an Error with a sentence the page
 * can show as is when the file is not a .py/.txt file, is too big, or is not UTF-8 text.
 * Windows line endings become \n; a UTF-8 byte-order mark is dropped.
 */
export async function readCodeFile(file) {
  const name = file.name || "this file";
  if (!TEXT_FILE.test(file.name ?? "")) {
    throw new Error(`“${name}” is not a Python file: the editor opens .py files (and plain .txt).`);
  }
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(
      `“${name}” is ${kilobytes(file.size)}, too big for the editor (it opens files up to ` +
        `${kilobytes(MAX_FILE_BYTES)}).`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text;
  try {
    if (bytes.includes(0)) throw new Error("binary");
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new Error(`“${name}” is not a text file the editor can show (it should be UTF-8 Python code).`);
  }
  return text.replace(/\r\n?/g, "\n");
}
