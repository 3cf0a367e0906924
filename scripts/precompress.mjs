// After the Astro build: writes a brotli (.br) and a gzip (.gz) twin of every
// text file in the built site, so the node agent sends small files to phones
// without compressing on every request, and records the SHA-256 hashes of each
// page's inline scripts (dist/.byz-csp.json) for the agent's
// Content-Security-Policy, and what each twin was made from
// (dist/.byz-twins.json), so the agent can still use twins in a copy of the
// book that lost its file times. Usage: node scripts/precompress.mjs [DIR] (default dist).
import { readdir, readFile, stat, utimes, writeFile, rename } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { inlineScriptHashes, CSP_HASHES_FILE } from '../tools/agent/csp.ts';
import { isCompressible } from '../tools/agent/mime.ts';
import { fingerprintOf, TWIN_RECORD_FILE } from '../tools/agent/twin-record.ts';

const root = process.argv[2] ?? 'dist';

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/** Writes through a temporary name so a crash never leaves a half-written twin the agent would send. */
async function writeAtomic(path, content, mtime) {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, content);
  await utimes(temp, mtime, mtime);
  await rename(temp, path);
}

let written = 0;
let saved = 0;
const pages = {};
const twins = {};
for await (const file of files(root)) {
  if (file.endsWith('.br') || file.endsWith('.gz') || file.includes(`${sep}.`)) continue;
  const sitePath = '/' + relative(root, file).split(sep).join('/');
  const content = await readFile(file);
  if (file.endsWith('.html')) pages[sitePath] = inlineScriptHashes(content.toString('utf8'));
  if (!isCompressible(file) || content.length < 256) continue;
  const { mtime } = await stat(file);
  const br = brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
  });
  const gz = gzipSync(content, { level: 9 });
  // A twin that is not clearly smaller is not worth a second file.
  const record = {};
  if (br.length < content.length * 0.9) {
    await writeAtomic(`${file}.br`, br, mtime);
    written++;
    saved += content.length - br.length;
    record.br = br.length;
  }
  if (gz.length < content.length * 0.9) {
    await writeAtomic(`${file}.gz`, gz, mtime);
    written++;
    record.gz = gz.length;
  }
  if (record.br !== undefined || record.gz !== undefined) twins[sitePath] = { source: fingerprintOf(content), ...record };
}
await writeFile(join(root, CSP_HASHES_FILE), JSON.stringify({ version: 1, pages }) + '\n');
await writeFile(join(root, TWIN_RECORD_FILE), JSON.stringify({ version: 1, files: twins }) + '\n');
console.log(`precompress: ${written} compressed files in ${root} (brotli saves ${(saved / 1024).toFixed(0)} KiB), CSP hashes of ${Object.keys(pages).length} pages`);
