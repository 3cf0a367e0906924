// Bundles the node tools into one file, dist-tools/byz.mjs, that plain Node.js
// (18 or later, as on Debian 12) runs on a node with no node_modules.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';

const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['tools/byz/byz.ts'],
  outfile: 'dist-tools/byz.mjs',
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  // Some dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __byzRequire } from 'node:module'; const require = __byzRequire(import.meta.url);" },
  define: { 'process.env.BYZ_VERSION': JSON.stringify(version) },
  legalComments: 'linked',
  logLevel: 'warning',
});
// Runnable as a program (`./byz.mjs`), which also gives it the shebang's V8 flags.
await chmod('dist-tools/byz.mjs', 0o755);
