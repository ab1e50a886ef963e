// Code in a URL fragment: "#code=" + base64url(deflate-raw(UTF-8)).
// The format is fixed: links made by any build open in every later build (a test opens a
// link made once and kept verbatim).  A fragment never reaches the server, so shared code
// stays between the learners who share it.
//
// Other parameters may sit beside the code, e.g. "#from=main&code=..." (the snippet the
// code came from): readers ignore the ones they do not know.

import { Inflate, deflateSync, strToU8 } from "fflate";

const PREFIX = "code=";

/** The most code a link may carry once inflated: a guard against "zip bomb" links. */
export const MAX_LINK_CODE_BYTES = 1_000_000;

const DAMAGED = "This link's code is damaged (it may have been cut short when it was copied).";

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

/** Inflate raw deflate data, refusing to produce more than `limit` bytes. */
function inflateCapped(data, limit) {
  const chunks = [];
  let total = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) throw new RangeError("too big");
    chunks.push(chunk);
    done ||= final;
  });
  // Small input slices: deflate expands at most ~1000×, so each step stays bounded.
  const step = 512;
  for (let i = 0; i < data.length; i += step) {
    inflater.push(data.subarray(i, i + step), i + step >= data.length);
  }
  if (!done) throw new Error("incomplete");
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The fragment (without "#") that carries `code`. */
export function encodeCode(code) {
  return PREFIX + toBase64Url(deflateSync(strToU8(code), { level: 9 }));
}

/**
 * The code carried by a fragment ("#code=..." or "code=..."), or null when there is none.
 * Throws an Error with a readable message when the fragment is damaged: not base64url,
 * not a complete deflate stream, not UTF-8, or unreasonably large.
 */
export function decodeCode(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  const payload = params.get("code");
  if (payload === null) return null;
  let bytes;
  try {
    bytes = inflateCapped(fromBase64Url(payload), MAX_LINK_CODE_BYTES);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new Error("This link carries more code than the editor opens (over 1 MB).");
    }
    throw new Error(DAMAGED);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(DAMAGED);
  }
}

/** Extra parameters kept beside the code in the fragment (e.g. which snippet it came from). */
export function fragmentParam(fragment, name) {
  return new URLSearchParams(fragment.replace(/^#/, "")).get(name);
}

/** A link to `page` (a URL; its own fragment is dropped) that opens with `code`. */
export function shareLink(code, page = location.href) {
  const url = new URL(page);
  url.hash = encodeCode(code);
  return url.href;
}
