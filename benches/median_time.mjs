// The timing the quick Node checks of benches/ share: one warm-up run of `f`, then the median of
// `reps` timed runs, in µs per item of the `n` items a run handles.
export function perApp(f, n, reps = 5) {
  f();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const start = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  times.sort((a, b) => a - b);
  return times[reps >> 1] / n;
}
