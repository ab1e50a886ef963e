// Brotli copies for the build (sitebuild/compress.py): Python's standard library has no
// Brotli encoder, Node's zlib has one, so the build stays free of extra dependencies.
//
//   node web/tools/brotli.mjs JOBS.json      JOBS.json: [[source, destination], ...]
//
// Each source is compressed at quality 11 (the best, as for files compressed once and served
// many times) with the source's size as a hint, and written to its destination.

import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const jobs = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const [source, destination] of jobs) {
  const data = readFileSync(source);
  const compressed = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(destination, compressed);
}
