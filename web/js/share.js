// Code in a URL fragment: "#code=" + base64url(deflate-raw(UTF-8)).
// The format is fixed: links made by any build open in every later build.  A fragment
// never reaches the server, so shared code stays between the learners who share it.

import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";

const PREFIX = "code=";

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The fragment (without "#") that carries `code`. */
export function encodeCode(code) {
  return PREFIX + toBase64Url(deflateSync(strToU8(code), { level: 9 }));
}

/**
 * The code carried by a fragment ("#code=..." or "code=..."), or null when there is none.
 * Throws an Error with a readable message when the fragment is damaged.
 */
export function decodeCode(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  const payload = params.get("code");
  if (payload === null) return null;
  try {
    return strFromU8(inflateSync(fromBase64Url(payload)));
  } catch {
    throw new Error("This link's code is damaged (it may have been cut short when it was copied).");
  }
}

/** Extra parameters kept beside the code in the fragment (e.g. which snippet it came from). */
export function fragmentParam(fragment, name) {
  return new URLSearchParams(fragment.replace(/^#/, "")).get(name);
}
