// Times Node's `evaluateMany` over the peer-bench applications as they are (submission times
// with UTC offsets) and with each submission time given as a local time in a zone
// (`…[Europe/Brussels]`, over four days), which the WebAssembly package resolves through
// JavaScript's `Intl` (bindings-wasm/src/zones.rs). Alternating, after one warm-up of each.
//
//     node benches/zoned_instants.mjs [N] [workload.jsonl]
//
// Needs bindings-wasm/pkg (bindings-wasm/build.sh) and the workload (scripts/bench generates it).
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const euca = createRequire(import.meta.url)(path.join(root, "bindings-wasm", "pkg"));
const n = Number(process.argv[2] ?? 20000);
const workload = process.argv[3] ?? "/tmp/peerbench/apps-n100000-s20200904.jsonl";
const call = euca.Call.fromJson(fs.readFileSync(path.join(root, "benches", "peer-bench-tj2020.call.json"), "utf8"));
const apps = fs.readFileSync(workload, "utf8").split("\n").filter(Boolean).slice(0, n).map((l) => JSON.parse(l));
const two = (x) => String(x).padStart(2, "0");
const zoned = apps.map((a, i) => ({
  ...a,
  submitted_at: `2020-09-0${1 + (i % 4)}T${two(8 + (i % 10))}:${two(i % 60)}:00[Europe/Brussels]`,
}));
const time = (batch) => {
  const t = performance.now();
  call.evaluateMany(batch, { asOf: "2020-09-04" });
  return ((performance.now() - t) * 1000) / batch.length;
};
time(apps);
time(zoned);
const rounds = { offsets: [], zoned: [] };
for (let r = 0; r < 5; r++) {
  rounds.offsets.push(time(apps));
  rounds.zoned.push(time(zoned));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(rounds)) {
  console.log(`${name.padEnd(8)} ${median(xs).toFixed(2)} µs/app (median of ${xs.length}; ${xs.map((x) => x.toFixed(2)).join(", ")})`);
}
