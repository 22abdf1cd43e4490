#!/usr/bin/env node
// euca's Node rows (the WebAssembly package, bindings-wasm/pkg) next to the Node peers of
// ../shared/peer-bench, in one run.
//
//     node benches/bench_euca_js.mjs --n 100000 --peer-bench /tmp/euca-peer-bench
//
// The call is the synthetic peer-bench rule set (benches/peer-bench-tj2020.call.json), loaded
// with `Call.fromJson` like any other call. The protocol is the peer harness's (bench_js.mjs;
// that file runs its main() when imported, so its few helpers are repeated here unchanged):
// every row runs in a fresh `node --expose-gc` process that loads all N applications and prepares
// its input outside the timed region; gc, reset of the peak RSS (VmHWM, /proc/self/clear_refs),
// 1 warm-up run and 5 timed runs, median; a row whose check run over N took more than 5 s is
// timed on the first 20 000 applications. A timed run returns one boolean per application.
//
// One run does, in order: euca's verdicts (verdicts/js-euca-<variant>-n{N}-s{SEED}.txt) checked
// against the labels and every other verdict file of this N and seed (exit 1 on a difference);
// the peer harness (bench_js.mjs), which checks them all again; euca's rows timed; the 1 M batch
// (peak RSS), the .wasm size (raw, gzip -9), the import time and Dataset.embedded(); then
// results-js-euca-n{N}-s{SEED}.json beside the peers' results (benches/bench_report.py merges).
// The 1 M batch is killed after --mem-timeout seconds (default 240) and recorded as such;
// --extras-only measures the 1 M batch, size and load times again into the last results file.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zc } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const SELF = fileURLToPath(import.meta.url);
const CALL = path.join(HERE, 'peer-bench-tj2020.call.json');
const PKG = process.env.EUCA_WASM_PKG || path.join(ROOT, 'bindings-wasm', 'pkg', 'node', 'euca.js');
const OPTIONS = { asOf: '2020-09-04' };

const IMPLS = {
  'js-euca-objects': ['euca `evaluateMany` over the JS objects (WebAssembly)', 'objects'],
  'js-euca-jsonl': ['euca `evaluateJsonl` over the JSON Lines text (WebAssembly)', 'text'],
  'js-euca-jsonl-bytes': ['euca `evaluateJsonl` over the JSON Lines as UTF-8 bytes (a `Buffer`, as `readFileSync` gives; WebAssembly)', 'text'],
  'js-euca-evaluate': ['euca `evaluate` per application, a full Decision each, `free()`d (WebAssembly)', 'objects'],
};
const MEM_1M = {
  'js-euca-1m-objects': ['euca `evaluateMany`, 1 M objects (100 000 distinct, each 10 times)', 'objects'],
};

// ---------------------------------------------------------------------------
function parseArgs(argv) {
  const a = { n: 100000, seed: 20200904, dir: '/tmp/peerbench', runs: 5, warmup: 1, slowSeconds: 5,
    slowN: 20000, only: '', worker: null, phase: null, timedN: null, repeats: 7,
    peerBench: process.env.PEERBENCH_SRC || '/tmp/euca-peer-bench', noPeers: false, noExtras: false,
    extrasOnly: false, memTimeout: 240 };
  const keys = { '--n': 'n', '--seed': 'seed', '--dir': 'dir', '--runs': 'runs', '--warmup': 'warmup',
    '--slow-seconds': 'slowSeconds', '--slow-n': 'slowN', '--only': 'only', '--worker': 'worker',
    '--phase': 'phase', '--timed-n': 'timedN', '--repeats': 'repeats', '--peer-bench': 'peerBench',
    '--mem-timeout': 'memTimeout' };
  const flags = { '--no-peers': 'noPeers', '--no-extras': 'noExtras', '--extras-only': 'extrasOnly' };
  for (let i = 0; i < argv.length; i++) {
    if (flags[argv[i]]) { a[flags[argv[i]]] = true; continue; }
    const k = keys[argv[i]];
    if (!k) { console.error(`unknown argument ${argv[i]}`); process.exit(2); }
    const v = argv[++i];
    a[k] = ['dir', 'only', 'worker', 'phase', 'peerBench'].includes(k) ? v : Number(v);
  }
  a.peerBench = path.resolve(a.peerBench);
  return a;
}

function files(a) {
  const stem = path.join(a.dir, `apps-n${a.n}-s${a.seed}`);
  return { apps: `${stem}.jsonl`, labels: `${stem}.labels.jsonl`, meta: `${stem}.meta.json` };
}
const verdictPath = (a, impl) => path.join(a.dir, 'verdicts', `${impl}-n${a.n}-s${a.seed}.txt`);

// as in bench_js.mjs
function vmHwmKiB() {
  const m = /^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}
function resetPeakRss() {
  try { writeFileSync('/proc/self/clear_refs', '5'); return true; } catch { return false; }
}
const readLines = (p) => readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0);
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function loadCall() {
  const { Call } = require(PKG);
  return Call.fromJson(readFileSync(CALL, 'utf8'));
}
const eligible = (batch) => batch.verdicts.map((v) => v === 'eligible');

// ---------------------------------------------------------------------------
// worker: one row in one process
// ---------------------------------------------------------------------------
function makeRunner(impl, apps, k, lines) {
  const call = loadCall();
  const subset = apps.slice(0, k);
  switch (impl) {
    case 'js-euca-objects':
      return () => eligible(call.evaluateMany(subset, OPTIONS));
    case 'js-euca-jsonl': {
      const text = lines.slice(0, k).join('\n') + '\n';
      return () => eligible(call.evaluateJsonl(text, OPTIONS));
    }
    case 'js-euca-jsonl-bytes': {
      const bytes = Buffer.from(lines.slice(0, k).join('\n') + '\n', 'utf8');
      return () => eligible(call.evaluateJsonl(bytes, OPTIONS));
    }
    case 'js-euca-evaluate':
      return () => {
        const out = new Array(subset.length);
        for (let i = 0; i < subset.length; i++) {
          const d = call.evaluate(subset[i], OPTIONS);
          out[i] = d.verdict === 'eligible';
          d.free();
        }
        return out;
      };
    case 'js-euca-1m-objects': {
      const million = [];
      for (let r = 0; r < 10; r++) for (const app of subset) million.push(app);
      return () => eligible(call.evaluateMany(million, OPTIONS));
    }
    default:
      throw new Error(`unknown implementation ${impl}`);
  }
}

function worker(a) {
  const f = files(a);
  const k = a.timedN || a.n;
  const kind = (IMPLS[a.worker] || MEM_1M[a.worker])[1];
  let apps = [];
  let lines = [];
  if (kind === 'text') lines = readLines(f.apps);
  else apps = readLines(f.apps).map((l) => JSON.parse(l));
  const run = makeRunner(a.worker, apps, k, lines);
  global.gc?.();
  const loadPeak = vmHwmKiB();
  const peakWasReset = resetPeakRss();
  const rssBefore = process.memoryUsage().rss;
  const out = { impl: a.worker, n_loaded: a.n, n_timed: k };
  let verdicts;
  if (a.phase === 'verdicts') {
    const t0 = performance.now();
    verdicts = run();
    out.check_run_s = (performance.now() - t0) / 1000;
    const bits = verdicts.map((v) => (v ? '1' : '0')).join('');
    if (bits.length !== k) throw new Error(`${a.worker}: ${bits.length} verdicts for ${k} applications`);
    mkdirSync(path.dirname(verdictPath(a, a.worker)), { recursive: true });
    writeFileSync(verdictPath(a, a.worker), bits);
    out.eligible = bits.split('1').length - 1;
  } else {
    const times = [];
    for (let i = 0; i < a.warmup + a.runs; i++) {
      const t0 = performance.now();
      verdicts = run();
      const dt = (performance.now() - t0) / 1000;
      if (i >= a.warmup) times.push(dt);
    }
    const bits = verdicts.map((v) => (v ? '1' : '0')).join('');
    let expected;
    if (MEM_1M[a.worker]) {
      const labels = readLines(f.labels).slice(0, k).map((l) => (JSON.parse(l).eligible ? '1' : '0')).join('');
      expected = labels.repeat(10);
    } else {
      expected = readFileSync(verdictPath(a, a.worker), 'utf8').slice(0, k);
    }
    if (bits !== expected) throw new Error(`${a.worker}: timed run's verdicts differ from its checked verdicts`);
    out.eligible_timed = bits.split('1').length - 1;
    const med = median(times);
    Object.assign(out, { n_evaluated: bits.length, runs_s: times, median_s: med,
      apps_per_s: bits.length / med, us_per_app: (med / bits.length) * 1e6 });
  }
  out.rss_before_eval_mib = rssBefore / 1048576;
  out.peak_rss_mib = vmHwmKiB() / 1024;
  out.eval_rss_delta_mib = out.peak_rss_mib - out.rss_before_eval_mib;
  out.load_peak_rss_mib = loadPeak / 1024;
  out.peak_reset_ok = peakWasReset;
  console.log('RESULT ' + JSON.stringify(out));
}

function spawnWorker(a, impl, phase, { timedN = null, runs = a.runs, warmup = a.warmup, timeoutS = 0 } = {}) {
  const args = ['--expose-gc', SELF, '--worker', impl, '--phase', phase, '--n', String(a.n), '--seed', String(a.seed),
    '--dir', a.dir, '--runs', String(runs), '--warmup', String(warmup), '--peer-bench', a.peerBench];
  if (timedN) args.push('--timed-n', String(timedN));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26,
    ...(timeoutS ? { timeout: timeoutS * 1000, killSignal: 'SIGKILL' } : {}) });
  if (timeoutS && r.error?.code === 'ETIMEDOUT') return { impl, timed_out_s: timeoutS };
  if (r.status !== 0) {
    process.stderr.write((r.stdout || '') + (r.stderr || ''));
    throw new Error(`FAILED: worker ${impl} (${phase}) exited ${r.status}`);
  }
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`FAILED: worker ${impl} (${phase}) printed no result:\n${r.stdout}${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

// every verdict file of this N and seed against the labels (as bench_js.mjs checks them)
function checkAll(a, f) {
  const labels = readLines(f.labels).map((l) => JSON.parse(l));
  const expected = labels.map((l) => (l.eligible ? '1' : '0')).join('');
  const suffix = `-n${a.n}-s${a.seed}.txt`;
  const verdicts = {};
  for (const name of readdirSync(path.join(a.dir, 'verdicts')).sort()) {
    if (name.endsWith(suffix)) verdicts[name.slice(0, -suffix.length)] = readFileSync(path.join(a.dir, 'verdicts', name), 'utf8');
  }
  const failures = [];
  for (const [impl, bits] of Object.entries(verdicts)) {
    const diff = [];
    for (let i = 0; i < a.n; i++) if (bits[i] !== expected[i]) diff.push(i);
    if (diff.length) {
      failures.push(impl);
      console.log(`  ${impl}: ${diff.length} verdicts differ from the labels; first ones:`);
      for (const i of diff.slice(0, 5)) {
        console.log(`    ${labels[i].id}: label eligible=${labels[i].eligible} failed=${JSON.stringify(labels[i].failed)}; `
          + `${impl} says ${bits[i] ?? 'nothing'}`);
      }
    }
  }
  if (failures.length) {
    console.error(`AGREEMENT FAILED: ${failures.join(', ')} disagree with the labels (and so with the others)`);
    process.exit(1);
  }
  const eligibleCount = expected.split('1').length - 1;
  console.log(`[check] AGREEMENT OK: ${Object.keys(verdicts).join(', ')} give identical verdicts on all `
    + `${a.n} applications (${eligibleCount} eligible)`);
  return { ok: true, impls_compared: Object.keys(verdicts), eligible: eligibleCount };
}

// ---------------------------------------------------------------------------
// the module: size, import time, Dataset.embedded()
// ---------------------------------------------------------------------------
/** The size of a module: by default the one this run loads (Node's); `dir` names another of
 * the package (`web`, `screen`) beside it. */
function wasmSize(dir = null) {
  const here = path.dirname(PKG);
  const wasm = dir === null ? path.join(here, 'euca_bg.wasm') : path.join(here, '..', dir, 'euca_bg.wasm');
  const bytes = readFileSync(wasm);
  return { file: path.relative(ROOT, wasm), raw_bytes: statSync(wasm).size,
    gzip9_bytes: gzipSync(bytes, { level: 9 }).length,        // zlib, as a web server would
    gzip_cli_9_bytes: (() => {                                 // gzip -9, as build.sh prints it
      const r = spawnSync('gzip', ['-9', '-c', wasm], { maxBuffer: 1 << 28 });
      return r.status === 0 ? r.stdout.length : null;
    })(),
    brotli_bytes: (() => { try { return require('node:zlib').brotliCompressSync(bytes, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length; } catch { return null; } })() };
}

function fresh(code) {
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node -e failed: ${r.stderr}`);
  return r.stdout.trim();
}

function importTime(repeats) {
  // in the process: require() of the Node entry point (reads and compiles the .wasm, instantiates)
  const inProc = [];
  const embeddedFirst = [];
  const embeddedLater = [];
  // then, in the same process, the first use of the dataset's rule sets (its collections are read
  // when first used): a call compiled from it
  const embeddedThenCall = [];
  for (let i = 0; i < repeats; i++) {
    const out = fresh(`const t0 = performance.now(); const m = require(${JSON.stringify(PKG)}); const t1 = performance.now();
      const d = m.Dataset.embedded(); const t2 = performance.now();
      const n = 200; const t3 = performance.now(); for (let j = 0; j < n; j++) m.Dataset.embedded().free(); const t4 = performance.now();
      d.call('tj-2020-cso'); const t5 = performance.now();
      console.log(t1 - t0, t2 - t1, (t4 - t3) / n, t5 - t4);`);
    const [a, b, c, e] = out.split(' ').map(Number);
    inProc.push(a); embeddedFirst.push(b); embeddedLater.push(c); embeddedThenCall.push(e);
  }
  // wall: a whole `node -e` with and without the require
  const wall = {};
  for (const [label, code] of [['node -e ""', ''], ['node -e "require(euca)"', `require(${JSON.stringify(PKG)})`]]) {
    const runs = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', code]);
      runs.push(performance.now() - t0);
    }
    wall[label] = median(runs);
  }
  return {
    import: { repeats, require_ms_median: median(inProc), require_ms_runs: inProc, wall_ms_median: wall,
      wall_require_minus_empty_ms: wall['node -e "require(euca)"'] - wall['node -e ""'] },
    embedded: { repeats, first_call_ms_median: median(embeddedFirst), first_call_ms_runs: embeddedFirst,
      later_call_ms_median: median(embeddedLater), then_first_call_compiled_ms_median: median(embeddedThenCall) },
  };
}

function extras(a) {
  const extras = {};
  {
    extras.mem_1m = [];
    for (const impl of Object.keys(MEM_1M)) {
      console.log(`[1M] ${impl}: one run ... load ${loadavg()}`);
      const r = spawnWorker(a, impl, 'time', { timedN: a.n, runs: 1, warmup: 0, timeoutS: a.memTimeout });
      r.label = MEM_1M[impl][0];
      r.loadavg = loadavg();
      extras.mem_1m.push(r);
      if (r.timed_out_s) console.log(`       did not finish in ${r.timed_out_s} s: killed (recorded)`);
      else console.log(`       ${r.median_s.toFixed(2)} s, peak RSS ${r.peak_rss_mib.toFixed(0)} MiB (before ${r.rss_before_eval_mib.toFixed(0)})`);
    }
    extras.wasm = wasmSize();
    // What the package ships to browsers, and `euca/screen` (pages that only screen applications).
    for (const dir of ['web', 'screen']) {
      if (existsSync(path.join(path.dirname(PKG), '..', dir, 'euca_bg.wasm'))) extras[`wasm_${dir}`] = wasmSize(dir);
    }
    for (const key of ['wasm', 'wasm_web', 'wasm_screen']) {
      const w = extras[key];
      if (w) console.log(`[wasm] ${w.file}: ${w.raw_bytes} bytes, ${w.gzip9_bytes} gzip -9`);
    }
    Object.assign(extras, importTime(a.repeats));
    console.log(`[import] require(): ${extras.import.require_ms_median.toFixed(1)} ms; `
      + `Dataset.embedded(): first ${extras.embedded.first_call_ms_median.toFixed(2)} ms, later ${extras.embedded.later_call_ms_median.toFixed(3)} ms`);
  }
  return extras;
}

// ---------------------------------------------------------------------------
function main() {
  const a = parseArgs(process.argv.slice(2));
  if (a.worker) return worker(a);
  const impls = Object.keys(IMPLS).filter((i) => !a.only || a.only.split(',').includes(i));
  const started = { date_utc: new Date().toISOString(), loadavg: loadavg() };
  const f = files(a);
  // the workload (the peer harness generates and checks it; bench_py.py / workload.py made it)
  readFileSync(f.meta);

  const partial = a.only ? '-partial' : '';
  const out = path.join(a.dir, `results-js-euca-n${a.n}-s${a.seed}${partial}.json`);
  if (a.extrasOnly) {   // measure the extras again into the last results file, rows untouched
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    doc.extras = extras(a);
    doc.extras_date_utc = new Date().toISOString();
    writeFileSync(out, JSON.stringify(doc, null, 1));
    console.log(`\nresults: ${out} (extras replaced)`);
    return;
  }
  const check = {};
  for (const impl of impls) {
    const r = spawnWorker(a, impl, 'verdicts');
    check[impl] = r;
    console.log(`[check] ${impl}: one run over ${a.n} in ${r.check_run_s.toFixed(2)} s, eligible ${r.eligible}`);
  }
  const agreement = checkAll(a, f);
  agreement.check_runs = check;

  if (!a.noPeers) {
    const peerArgs = [path.join(a.peerBench, 'bench_js.mjs'), '--n', String(a.n), '--seed', String(a.seed),
      '--dir', a.dir, '--runs', String(a.runs), '--warmup', String(a.warmup)];
    console.log(`[peers] node ${peerArgs.join(' ')}`);
    const r = spawnSync(process.execPath, peerArgs, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`FAILED: the peer harness exited ${r.status}`);
  }

  const results = [];
  for (const impl of impls) {
    const slow = check[impl].check_run_s > a.slowSeconds;
    const k = slow ? Math.min(a.n, a.slowN) : a.n;
    console.log(`[time] ${impl} on ${k} applications (${a.warmup} warm-up + ${a.runs} runs) ... load ${loadavg()}`);
    const r = spawnWorker(a, impl, 'time', { timedN: k });
    r.label = IMPLS[impl][0];
    r.eligible_all = check[impl].eligible;
    r.reduced_n_because_slow = slow;
    r.loadavg = loadavg();
    results.push(r);
    console.log(`       ${r.us_per_app.toFixed(3)} µs/app, peak RSS ${r.peak_rss_mib.toFixed(0)} MiB`);
  }

  const extrasDone = a.noExtras ? {} : extras(a);

  console.log(`\neuca (Node, WebAssembly), N = ${a.n} loaded, seed ${a.seed}; median of ${a.runs} runs after ${a.warmup} warm-up\n`);
  console.log('| implementation | timed N | apps/s | µs/app | RSS before eval (MiB) | peak RSS in eval (MiB) | eval Δ (MiB) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.impl}: ${r.label} | ${r.n_timed}${r.reduced_n_because_slow ? ' *' : ''} | `
      + `${Math.round(r.apps_per_s).toLocaleString('en-US')} | ${r.us_per_app.toFixed(2)} | `
      + `${r.rss_before_eval_mib.toFixed(0)} | ${r.peak_rss_mib.toFixed(0)} | ${r.eval_rss_delta_mib.toFixed(0)} |`);
  }
  const pkgJson = JSON.parse(readFileSync(path.join(path.dirname(PKG), '..', 'package.json'), 'utf8'));
  writeFileSync(out, JSON.stringify({
    n: a.n, seed: a.seed, runs: a.runs, warmup: a.warmup, ...started, loadavg_end: loadavg(),
    environment: { node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model, cores: os.cpus().length, packages: { euca: pkgJson.version } },
    agreement, results, extras: extrasDone, call: path.relative(ROOT, CALL), as_of: OPTIONS.asOf,
  }, null, 1));
  console.log(`\nresults: ${out}`);
}

try { main(); } catch (e) { console.error(e.stack || String(e)); process.exit(1); }
