// Times `call.decision(applications, batch, i)`, the full decision of one row of a batch, beside
// `call.evaluate(applications[i])` on the same date, for batches of the peer-bench workload of
// 1 000, 10 000 and 100 000 rows (ms per call: the median of `rounds` calls, each on another row).
// `decision` reads only row i, so it should not grow with the batch.
//
//     node benches/decision_of_row.mjs [rounds] [workload.jsonl]   (EUCA_NODE_PKG=path/euca.js: another build)
//
// Needs the Node build (bindings-wasm/build.sh writes bindings-wasm/pkg/node) and the workload file
// (scripts/bench generates /tmp/peerbench/apps-n100000-s20200904.jsonl).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const euca = require(process.env.EUCA_NODE_PKG ? path.resolve(process.env.EUCA_NODE_PKG) : path.join(here, '../bindings-wasm/pkg/node/euca.js'));
const rounds = Number(process.argv[2] || 9);
const workload = process.argv[3] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const objects = readFileSync(workload, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const call = euca.Call.fromJson(readFileSync(path.join(here, 'peer-bench-tj2020.call.json'), 'utf8'));
const options = { asOf: '2020-09-04' };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(f) {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

console.log('| rows | decision(apps, batch, i) ms | evaluate(apps[i]) ms |');
console.log('|---:|---:|---:|');
for (const rows of [1000, 10000, 100000]) {
  const apps = objects.slice(0, rows);
  const batch = call.evaluateMany(apps, options);
  const decision = [];
  const evaluate = [];
  for (let r = 0; r < rounds; r++) {
    const i = Math.floor(((r + 0.5) * rows) / rounds);
    let d;
    let e;
    decision.push(ms(() => { d = call.decision(apps, batch, i); }));
    evaluate.push(ms(() => { e = call.evaluate(apps[i], options); }));
    if (d.verdict !== e.verdict || d.verdict !== batch.verdicts[i]) {
      throw new Error(`row ${i}: decision ${d.verdict}, evaluate ${e.verdict}, batch ${batch.verdicts[i]}`);
    }
    d.free();
    e.free();
  }
  console.log(`| ${rows} | ${median(decision).toFixed(3)} | ${median(evaluate).toFixed(3)} |`);
}
