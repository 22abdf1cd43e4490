// Times the JavaScript steps of Node's `evaluateMany` over plain objects, before the module reads
// a byte: the check that `JSON.stringify` writes what the walk would read (`plain_json` of the
// package's snippet: the check, then `JSON.stringify`), `JSON.stringify` alone, and the UTF-8
// encoding of the text (`utf8`, TextEncoder), on the first N applications of the peer-bench
// workload in parts of 4 096, as `evaluateMany` does; median of 5 runs after one warm-up.
//
//     node benches/objects_steps.mjs [N] [workload.jsonl]
//
// Needs the Node build (bindings-wasm/build.sh writes bindings-wasm/pkg/node) and the workload file
// (scripts/bench generates /tmp/peerbench/apps-n100000-s20200904.jsonl).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { perApp as timePerApp } from './median_time.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const snippets = path.join(here, '../bindings-wasm/pkg/node/snippets');
const [crate] = readdirSync(snippets);
// Imported from its text: the file sits in a CommonJS package, where Node warns about its ES syntax.
const source = readFileSync(path.join(snippets, crate, 'inline0.js'), 'utf8');
const { plain_json, utf8 } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
const N = Number(process.argv[2] || 20000);
const workload = process.argv[3] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const objects = readFileSync(workload, 'utf8').split('\n').filter(Boolean).slice(0, N).map((l) => JSON.parse(l));
const PART = 4096;

const perApp = (f) => timePerApp(f, N);

function parts(f) {
  return () => {
    for (let start = 0; start < N; start += PART) f(start, Math.min(N, start + PART));
  };
}

const texts = [];
parts((s, e) => texts.push(JSON.stringify(objects.slice(s, e))))();
const row = (name, us) => console.log(`${name.padEnd(42)} ${us.toFixed(2).padStart(6)} µs/app`);
console.log(`N=${N}`);
row('plain_json (check + JSON.stringify)', perApp(parts((s, e) => plain_json(objects, s, e))));
row('JSON.stringify alone', perApp(parts((s, e) => JSON.stringify(objects.slice(s, e)))));
row('utf8 (TextEncoder) of the text', perApp(() => texts.forEach((t) => utf8(t))));
