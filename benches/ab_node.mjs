// Two builds of the Node package timed in one process, alternately, so that the machine's drift
// (which on this machine moves a row by a fifth between processes) falls on both alike:
// `evaluateJsonl` over text and over its UTF-8 bytes, and `evaluateMany` over plain objects, on
// the first N applications of the peer-bench workload. Each round times each build once per entry
// point (after a gc, as the peer harness does); the medians over the rounds are printed.
//
//     node --expose-gc benches/ab_node.mjs OLD/euca.js NEW/euca.js [N] [rounds] [workload.jsonl]
//
// OLD and NEW are the `euca.js` of two `bindings-wasm/build.sh` outputs (pkg/node), or of a
// wasm-bindgen --target nodejs run on a wasm-speed build, as build.sh makes it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [oldPkg, newPkg] = process.argv.slice(2, 4);
if (!oldPkg || !newPkg) {
  console.error('usage: node --expose-gc benches/ab_node.mjs OLD/euca.js NEW/euca.js [N] [rounds] [workload.jsonl]');
  process.exit(2);
}
const N = Number(process.argv[4] || 100000);
const ROUNDS = Number(process.argv[5] || 9);
const workload = process.argv[6] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const lines = readFileSync(workload, 'utf8').split('\n').filter(Boolean).slice(0, N);
const text = lines.join('\n');
const bytes = Buffer.from(text, 'utf8');
const objects = lines.map((l) => JSON.parse(l));
const callText = readFileSync(path.join(here, 'peer-bench-tj2020.call.json'), 'utf8');
const options = { asOf: '2020-09-04' };

const builds = [['old', oldPkg], ['new', newPkg]].map(([name, pkg]) => {
  const euca = require(path.resolve(pkg));
  return { name, call: euca.Call.fromJson(callText) };
});
const paths = {
  'evaluateJsonl (text)': (call) => call.evaluateJsonl(text, options),
  'evaluateJsonl (UTF-8 bytes)': (call) => call.evaluateJsonl(bytes, options),
  'evaluateMany (plain objects)': (call) => call.evaluateMany(objects, options),
};
const gc = globalThis.gc ?? (() => {});
const times = {};
for (const name of Object.keys(paths)) {
  for (const b of builds) {
    paths[name](b.call); // warm-up
    times[`${name} ${b.name}`] = [];
  }
}
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, f] of Object.entries(paths)) {
    // The order of the builds alternates from round to round.
    for (const b of r % 2 ? [...builds].reverse() : builds) {
      gc();
      const start = process.hrtime.bigint();
      f(b.call);
      times[`${name} ${b.name}`].push(Number(process.hrtime.bigint() - start) / 1e3 / N);
    }
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
console.log(`N=${N}, ${ROUNDS} rounds; µs/app, median (min–max); old ${oldPkg}, new ${newPkg}`);
for (const name of Object.keys(paths)) {
  const row = builds.map((b) => {
    const xs = times[`${name} ${b.name}`];
    return `${b.name} ${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  });
  console.log(`${name.padEnd(30)} ${row.join('   ')}`);
}
