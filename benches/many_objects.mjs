// Times one `evaluateMany` over N plain objects in a fresh process (the peer-bench workload's
// objects repeated to N, as scripts/bench's `js-euca-1m-objects` row does), and prints the
// process's RSS after it: a quick check of the Node batch at scale between full runs.
//
//     node benches/many_objects.mjs [N] [workload.jsonl]   (EUCA_NODE_PKG=path/euca.js: another build)
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
const N = Number(process.argv[2] || 1000000);
const workload = process.argv[3] || '/tmp/peerbench/apps-n100000-s20200904.jsonl';
const objects = readFileSync(workload, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const many = Array.from({ length: N }, (_, i) => objects[i % objects.length]);
const call = euca.Call.fromJson(readFileSync(path.join(here, 'peer-bench-tj2020.call.json'), 'utf8'));
const start = process.hrtime.bigint();
const batch = call.evaluateMany(many, { asOf: '2020-09-04' });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const eligible = batch.verdicts.filter((v) => v === 'eligible').length;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${N} objects: ${seconds.toFixed(2)} s, ${((seconds * 1e6) / N).toFixed(1)} µs/app, ${eligible} eligible, RSS after ${rss.toFixed(0)} MiB`);
