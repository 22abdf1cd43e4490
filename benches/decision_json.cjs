#!/usr/bin/env node
// Times a decision's `toJSON()` and `explain()` in builds of the Node package, alternately, each
// in a fresh process: BENCHMARKS.md's "A decision's toJSON(), timed".
//
//     node benches/decision_json.cjs [--rounds 3] OLD/euca.js NEW/euca.js ...
//
// Each argument is the euca.js of a Node build (bindings-wasm/pkg/node after build.sh; copy it
// aside before building another commit). The decisions are those of the first 5 000
// applications of the peer-bench workload (/tmp/peerbench/apps-n100000-s20200904.jsonl, written
// by scripts/bench; PEERBENCH_JSONL to use another) under benches/peer-bench-tj2020.call.json
// as of 2020-09-04, 24 checks each. Figures: the median of 7 passes, in µs per decision
// (`explain()` over the first 1 000).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const JSONL = process.env.PEERBENCH_JSONL || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const CALL = path.join(__dirname, 'peer-bench-tj2020.call.json');

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

const args = process.argv.slice(2);
if (args[0] === '--one') {
  console.log(JSON.stringify(timeOne(args[1])));
} else {
  let rounds = 3;
  if (args[0] === '--rounds') {
    rounds = Number(args[1]);
    args.splice(0, 2);
  }
  if (args.length === 0) {
    console.error('usage: node benches/decision_json.cjs [--rounds N] OLD/euca.js NEW/euca.js ...');
    process.exit(2);
  }
  console.log('| round | package | toJSON() (µs/decision) | explain() (µs/decision) |');
  console.log('|---|---|---|---|');
  for (let r = 1; r <= rounds; r++) {
    for (const pkg of args) {
      const run = spawnSync(process.execPath, [__filename, '--one', pkg], { encoding: 'utf8' });
      if (run.status !== 0) {
        console.error(run.stderr);
        process.exit(1);
      }
      const t = JSON.parse(run.stdout);
      console.log(`| ${r} | ${pkg} | ${t.toJson.toFixed(1)} | ${t.explain.toFixed(2)} |`);
    }
  }
}
