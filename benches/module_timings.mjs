// Times what a page or a Node program meets first with one build of the WebAssembly package:
// the first `Call.fromJson` of a call that extends an embedded rule set (which reads the embedded
// rule sets), then the first `Dataset.embedded()` and the first use of the dataset's other
// collections (each in a fresh process, medians of `runs`); then, per call (µs, medians of
// rounds), `evaluate` of one peer-bench application given as JSON text and as an object, and
// `Decision.toJSON()` and `decision.checks` of its decision.
//
//   node benches/module_timings.mjs [bindings-wasm/pkg/web | bindings-wasm/pkg/node | bindings-wasm/pkg/screen] [runs]
//
// The directory is one that bindings-wasm/build.sh writes (default bindings-wasm/pkg/node).
// `euca/screen` has no `Dataset`: only the call and the decision are timed there.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const CALL = path.join(ROOT, 'core', 'data', 'rules', 'kz-2023-hrd-cso.json');
const BENCH_CALL = path.join(HERE, 'peer-bench-tj2020.call.json');

async function load(dir) {
  const file = path.join(dir, 'euca.js');
  const m = await import(pathToFileURL(file).href);
  if (typeof m.initSync === 'function') {
    m.initSync({ module: readFileSync(path.join(dir, 'euca_bg.wasm')) });
    return m;
  }
  return m.default ?? m;
}

async function child(dir) {
  const m = await load(dir);
  const out = {};
  const t = performance.now();
  m.Call.fromJson(readFileSync(CALL, 'utf8')).free();
  out.first_call_ms = performance.now() - t;
  if (m.Dataset) {
    let t = performance.now();
    const ds = m.Dataset.embedded();
    out.embedded_ms = performance.now() - t;
    t = performance.now();
    ds.countries(); ds.dialogues(); ds.timeline(); ds.toJSON();
    out.collections_ms = performance.now() - t;
    ds.free();
  }
  console.log(JSON.stringify(out));
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'bindings-wasm', 'pkg', 'node'));
  const runs = Number(process.argv[3] ?? 5);
  const fresh = [];
  for (let i = 0; i < runs; i++) {
    const text = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], { encoding: 'utf8' });
    fresh.push(JSON.parse(text.trim().split('\n').pop()));
  }
  for (const key of Object.keys(fresh[0])) {
    const xs = fresh.map((f) => f[key]);
    console.log(`${key.padEnd(16)} median ${median(xs).toFixed(2)} ms (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}, ${runs} fresh processes)`);
  }
  const m = await load(dir);
  const call = m.Call.fromJson(readFileSync(BENCH_CALL, 'utf8'));
  const workload = process.env.EUCA_WORKLOAD ?? '/tmp/peerbench/apps-n100000-s20200904.jsonl';
  let app;
  try {
    app = JSON.parse(readFileSync(workload, 'utf8').split('\n')[0]);
  } catch {
    console.log(`no workload at ${workload} (python3 ../shared/peer-bench/workload.py --n 100000 --dir /tmp/peerbench): decision timings skipped`);
    return;
  }
  const options = { asOf: '2020-09-04' }; // as benches/bench_euca_js.mjs
  const text = JSON.stringify(app);
  const rounds = { text: [], object: [], toJSON: [], checks: [] };
  const d = call.evaluate(app, options);
  for (let r = 0; r < 7; r++) {
    let t = performance.now();
    for (let i = 0; i < 500; i++) call.evaluate(text, options).free();
    rounds.text.push(((performance.now() - t) * 1000) / 500);
    t = performance.now();
    for (let i = 0; i < 500; i++) call.evaluate(app, options).free();
    rounds.object.push(((performance.now() - t) * 1000) / 500);
    t = performance.now();
    for (let i = 0; i < 500; i++) d.toJSON();
    rounds.toJSON.push(((performance.now() - t) * 1000) / 500);
    t = performance.now();
    for (let i = 0; i < 500; i++) void d.checks;
    rounds.checks.push(((performance.now() - t) * 1000) / 500);
  }
  console.log(`evaluate(text)    median ${median(rounds.text).toFixed(1)} µs/call`);
  console.log(`evaluate(object)  median ${median(rounds.object).toFixed(1)} µs/call`);
  console.log(`Decision.toJSON() median ${median(rounds.toJSON).toFixed(1)} µs/call (${JSON.stringify(d.toJSON()).length} characters of JSON)`);
  console.log(`decision.checks  median ${median(rounds.checks).toFixed(1)} µs/call`);
  d.free();
  call.free();
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
