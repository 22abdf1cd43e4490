// The JavaScript half of `evaluateMany` over plain objects, alone: the walk that writes the
// items of a batch as a tape (`plain_tape`, bindings-wasm/src/input.rs) over the peer-bench
// workload's objects, in parts of 4 096 as the module asks for them; median of 15 runs after one
// warm-up, in µs per object.
//
//     node benches/tape_walk.mjs [path/to/pkg/node] [workload.jsonl]
//
// The walk is the snippet wasm-bindgen copies into the package (pkg/node/snippets/*/inline0.js).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkg = path.resolve(process.argv[2] || path.join(here, '../bindings-wasm/pkg/node'));
const workload = process.argv[3] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const snippet = readdirSync(path.join(pkg, 'snippets'))
  .map((d) => path.join(pkg, 'snippets', d, 'inline0.js'))
  .find((f) => readFileSync(f, 'utf8').includes('export function plain_tape'));
// Loaded as the package's euca.js loads it.
const { plain_tape: plainTape } = require(snippet);
const objects = readFileSync(workload, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const PART = 4096;

function walk() {
  let bytes = 0;
  for (let start = 0; start < objects.length; start += PART) {
    const tape = plainTape(objects, start, Math.min(objects.length, start + PART));
    if (tape === undefined) throw new Error(`the walk refused the objects from ${start}`);
    bytes += tape.length;
  }
  return bytes;
}

const bytes = walk();
const times = [];
for (let i = 0; i < 15; i++) {
  const start = process.hrtime.bigint();
  walk();
  times.push(Number(process.hrtime.bigint() - start) / 1e3 / objects.length);
}
times.sort((a, b) => a - b);
console.log(`${objects.length} objects, ${bytes} bytes of tape; plain_tape ${times[7].toFixed(2)} µs/object (${times[0].toFixed(2)}–${times[14].toFixed(2)})`);
