#!/usr/bin/env node
// Times `evaluateMany` over plain objects and `evaluateJsonl` over JSON Lines text in builds of
// the `euca/screen` module (an ES module built with `--target web`), each loaded in Node from its
// bytes, alternately: BENCHMARKS.md's A/B of the module with and without the tape reader.
//
//     node benches/screen_modules.mjs [--rounds 3] DIR [DIR ...]
//
// Each DIR holds a screen build's euca.js and euca_bg.wasm (bindings-wasm/pkg/screen after
// bindings-wasm/build.sh; copy it aside before building another commit). The workload is the
// peer-bench's 100 000 applications (/tmp/peerbench/apps-n100000-s20200904.jsonl, written by
// scripts/bench; PEERBENCH_JSONL to use another) under benches/peer-bench-tj2020.call.json, as
// of 2020-09-04. Each figure is the median of 5 timed runs after 1 warm-up, in µs per
// application; every round runs each DIR in a fresh process.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { main } from './alternate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JSONL = process.env.PEERBENCH_JSONL || '/tmp/peerbench/apps-n100000-s20200904.jsonl';

async function timeOne(dir) {
  const m = await import(pathToFileURL(path.join(dir, 'euca.js')).href);
  await m.default({ module_or_path: readFileSync(path.join(dir, 'euca_bg.wasm')) });
  const call = m.Call.fromJson(readFileSync(path.join(HERE, 'peer-bench-tj2020.call.json'), 'utf8'));
  const lines = readFileSync(JSONL, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const objects = lines.map((l) => JSON.parse(l));
  const text = lines.join('\n');
  const options = { asOf: '2020-09-04' };
  const median = (run) => {
    const times = [];
    for (let i = 0; i < 6; i++) {
      const start = process.hrtime.bigint();
      run();
      times.push(Number(process.hrtime.bigint() - start) / 1e3 / lines.length);
    }
    times.shift();
    times.sort((a, b) => a - b);
    return times[2];
  };
  const objectsUs = median(() => call.evaluateMany(objects, options));
  const textUs = median(() => call.evaluateJsonl(text, options));
  console.log(JSON.stringify({ objects: objectsUs, jsonl: textUs }));
}

const one = main(
  fileURLToPath(import.meta.url),
  'usage: node benches/screen_modules.mjs [--rounds N] DIR [DIR ...]',
  '| round | module | evaluateMany, objects (µs/app) | evaluateJsonl, text (µs/app) |',
  (r, dir, t) => `| ${r} | ${dir} | ${t.objects.toFixed(2)} | ${t.jsonl.toFixed(2)} |`,
);
if (one) await timeOne(one);
