// Node's `evaluateJsonl` over the first N lines of the peer-bench workload, R times after a
// warm-up on 2 000 lines: run under callgrind, which counts instructions whatever the load of
// the machine, twice with different R, so that the difference is R's evaluations alone
// (BENCHMARKS.md, "JSON Lines read byte by byte"):
//
//     valgrind --tool=callgrind --callgrind-out-file=/dev/null node benches/count_node.mjs PKG/euca.js 20000 1
//     valgrind --tool=callgrind --callgrind-out-file=/dev/null node benches/count_node.mjs PKG/euca.js 20000 4
//     # instructions an application: (Collected at 4 - Collected at 1) / 3 / 20000
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [pkg, n = '20000', reps = '1', workload = '/tmp/peerbench/apps-n100000-s20200904.jsonl'] =
  process.argv.slice(2);
if (!pkg) {
  console.error('usage: node benches/count_node.mjs PKG/euca.js [N] [R] [workload.jsonl]');
  process.exit(2);
}
const euca = require(path.resolve(pkg));
const lines = readFileSync(workload, 'utf8').split('\n').filter(Boolean).slice(0, Number(n));
const text = lines.join('\n');
const call = euca.Call.fromJson(readFileSync(path.join(here, 'peer-bench-tj2020.call.json'), 'utf8'));
const options = { asOf: '2020-09-04' };
call.evaluateJsonl(lines.slice(0, 2000).join('\n'), options);
for (let i = 0; i < Number(reps); i++) call.evaluateJsonl(text, options);
