// Times euca's Node batch entry points alone, without the peers (a quick check between full runs
// of scripts/bench): `evaluateMany` over plain objects, `evaluateJsonl` over text and over its
// UTF-8 bytes, and `evaluate` per object (a full Decision each, freed), on the first N
// applications of the peer-bench workload, median of 5 runs after one warm-up.
//
//     node benches/batch_paths.mjs [N] [workload.jsonl]   (EUCA_NODE_PKG=path/euca.js: another build)
//
// Needs the Node build (bindings-wasm/build.sh writes bindings-wasm/pkg/node) and the workload file
// (scripts/bench generates /tmp/peerbench/apps-n100000-s20200904.jsonl).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { perApp as timePerApp } from './median_time.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const euca = require(process.env.EUCA_NODE_PKG ? path.resolve(process.env.EUCA_NODE_PKG) : path.join(here, '../bindings-wasm/pkg/node/euca.js'));
const N = Number(process.argv[2] || 20000);
const workload = process.argv[3] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const lines = readFileSync(workload, 'utf8').split('\n').filter(Boolean).slice(0, N);
const text = lines.join('\n');
const objects = lines.map((l) => JSON.parse(l));
const call = euca.Call.fromJson(readFileSync(path.join(here, 'peer-bench-tj2020.call.json'), 'utf8'));
const options = { asOf: '2020-09-04' };

const perApp = (f) => timePerApp(f, N);

console.log(`N=${N}`);
console.log(`evaluateMany (plain objects)  ${perApp(() => call.evaluateMany(objects, options)).toFixed(2).padStart(6)} µs/app`);
console.log(`evaluateJsonl (text)          ${perApp(() => call.evaluateJsonl(text, options)).toFixed(2).padStart(6)} µs/app`);
const bytes = Buffer.from(text, 'utf8');
console.log(`evaluateJsonl (UTF-8 bytes)   ${perApp(() => call.evaluateJsonl(bytes, options)).toFixed(2).padStart(6)} µs/app`);
console.log(`evaluate (per object)         ${perApp(() => {
  for (const app of objects) {
    const decision = call.evaluate(app, options);
    if (!decision.verdict) throw new Error('no verdict');
    decision.free();
  }
}).toFixed(2).padStart(6)} µs/app`);
