// `npm run bench`: every benchmark, each beside its reference in the same run.
//   book   pages on a throttled mesh-like link vs stock Starlight (scripts/bench/book.mjs)
//   agent  byz serve vs nginx on the same files  (scripts/bench-agent.mjs, when present)
//   lab    virtual-mesh convergence and plan time (scripts/bench-lab.mjs, root)
//   clone  clone throughput vs dd                 (scripts/bench-clone.mjs)
// `npm run bench -- book` runs one of them.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const all = {
  book: 'scripts/bench/book.mjs',
  agent: 'scripts/bench-agent.mjs',
  lab: 'scripts/bench-lab.mjs',
  clone: 'scripts/bench-clone.mjs',
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
let failed = false;
for (const name of chosen) {
  const script = all[name];
  if (!script) {
    console.error(`bench: unknown benchmark "${name}" (choose from: ${Object.keys(all).join(', ')})`);
    process.exit(2);
  }
  if (!existsSync(script)) {
    console.log(`\n== ${name}: not built yet (${script} is missing)`);
    continue;
  }
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
