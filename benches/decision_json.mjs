#!/usr/bin/env node
// Times a decision's `toJSON()` and `explain()` in builds of the Node package, alternately, each
// in a fresh process: BENCHMARKS.md's "A decision's toJSON(), timed".
//
//     node benches/decision_json.mjs [--rounds 3] OLD/euca.js NEW/euca.js ...
//
// Each argument is the euca.js of a Node build (bindings-wasm/pkg/node after build.sh; copy it
// aside before building another commit). The decisions are those of the first 5 000
// applications of the peer-bench workload (/tmp/peerbench/apps-n100000-s20200904.jsonl, written
// by scripts/bench; PEERBENCH_JSONL to use another) under benches/peer-bench-tj2020.call.json
// as of 2020-09-04, 24 checks each. Figures: the median of 7 passes, in µs per decision
// (`explain()` over the first 1 000).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { main } from './alternate.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const JSONL = process.env.PEERBENCH_JSONL || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const CALL = path.join(HERE, 'peer-bench-tj2020.call.json');

function median(run) {
  const times = [];
  for (let r = 0; r < 7; r++) times.push(run());
  times.sort((a, b) => a - b);
  return times[3];
}

function timeOne(pkg) {
  const m = require(path.resolve(pkg));
  const call = m.Call.fromJson(fs.readFileSync(CALL, 'utf8'));
  const apps = fs.readFileSync(JSONL, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .slice(0, 5000).map((l) => JSON.parse(l));
  const decisions = apps.map((a) => call.evaluate(a, { asOf: '2020-09-04' }));
  const perItem = (items, f) => () => {
    const start = process.hrtime.bigint();
    for (const d of items) f(d);
    return Number(process.hrtime.bigint() - start) / 1e3 / items.length;
  };
  const toJson = median(perItem(decisions, (d) => d.toJSON()));
  const explain = median(perItem(decisions.slice(0, 1000), (d) => d.explain()));
  decisions.forEach((d) => d.free());
  return { toJson, explain };
}

const one = main(
  fileURLToPath(import.meta.url),
  'usage: node benches/decision_json.mjs [--rounds N] OLD/euca.js NEW/euca.js ...',
  '| round | package | toJSON() (µs/decision) | explain() (µs/decision) |',
  (r, pkg, t) => `| ${r} | ${pkg} | ${t.toJson.toFixed(1)} | ${t.explain.toFixed(2)} |`,
);
if (one) console.log(JSON.stringify(timeOne(one)));
