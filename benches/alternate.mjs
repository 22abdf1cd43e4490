// Runs a timing script once per build, in a fresh process each, round after round, and prints
// one Markdown row per run: what benches/screen_modules.mjs and benches/decision_json.mjs share.
//
// `main(script, usage, header, row)`: with `--one BUILD` (how it calls itself) it returns BUILD
// for the caller to time and print as one line of JSON; otherwise it reads `[--rounds N] BUILD
// ...` from the command line, runs `node script --one BUILD` for each build in turn, N rounds
// (default 3), and prints `header` and then `row(round, build, timings)` for each run.
import { spawnSync } from 'node:child_process';

export function main(script, usage, header, row) {
  const args = process.argv.slice(2);
  if (args[0] === '--one') return args[1];
  let rounds = 3;
  if (args[0] === '--rounds') {
    rounds = Number(args[1]);
    args.splice(0, 2);
  }
  if (args.length === 0) {
    console.error(usage);
    process.exit(2);
  }
  console.log(header);
  console.log(header.replace(/[^|]+/g, '---'));
  for (let r = 1; r <= rounds; r++) {
    for (const build of args) {
      const run = spawnSync(process.execPath, [script, '--one', build], { encoding: 'utf8' });
      if (run.status !== 0) {
        console.error(run.stderr);
        process.exit(1);
      }
      console.log(row(r, build, JSON.parse(run.stdout)));
    }
  }
  return null;
}
