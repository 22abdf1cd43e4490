// What a long JavaScript string costs to turn into UTF-8 bytes, the ways a string can cross into
// the WebAssembly module (bindings-wasm/src/input.rs, `encoded`): `TextEncoder.encode` (a fresh
// buffer), `encodeInto` a fresh buffer, and `encodeInto` a buffer already written once (as the
// module's memory is, after its first batch). The text is the peer-bench workload's JSON Lines;
// median of 7 runs after one warm-up, in µs per line.
//
//     node --expose-gc benches/text_to_utf8.mjs [workload.jsonl]
import { readFileSync } from 'node:fs';

const workload = process.argv[2] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const text = readFileSync(workload, 'utf8');
const lines = text.split('\n').filter(Boolean).length;
const encoder = new TextEncoder();
const gc = globalThis.gc ?? (() => {});

function perLine(f) {
  f();
  const times = [];
  for (let i = 0; i < 7; i++) {
    gc();
    const start = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - start) / 1e3 / lines);
  }
  return times.sort((a, b) => a - b)[3];
}

// One byte per code unit, as the module's first pass gives: all the workload's ASCII text needs.
const touched = new Uint8Array(text.length);
console.log(`${lines} lines, ${text.length} code units`);
for (const [name, f] of [
  ['TextEncoder.encode', () => encoder.encode(text)],
  ['encodeInto a fresh buffer', () => encoder.encodeInto(text, new Uint8Array(text.length))],
  ['encodeInto a buffer written before', () => encoder.encodeInto(text, touched)],
]) {
  console.log(`${name.padEnd(36)} ${perLine(f).toFixed(3)} µs/line`);
}
