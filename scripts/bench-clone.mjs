#!/usr/bin/env node
// `npm run bench -- clone`: byz clone's copy throughput beside `dd bs=4M` of
// the same bytes to the same kind of target (an image file on the same
// filesystem), and what verification costs. Targets from issue 6: the copy
// at least 0.9x dd, verification at most one extra read of the data.
// As root the page cache is dropped before each dd and each clone, so both
// read the source from disk; otherwise both read it from the cache.
// The clone's "copy" is its whole copy phase: making the directories and
// entries with mtools, opening the FAT, reading, hashing and writing every
// file, chaining clusters and the final fsync (dd: conv=fsync). The hashing
// thread starts during "format" (it overlaps mkfs), so that phase is shown too.
// BENCH_CLONE_MIB sets the size; BENCH_CLONE_ROUNDS the rounds (default 5:
// on 2 shared cores single rounds ranged 0.6x-1.3x dd, medians of 3 still moved).
// Single rounds still range 0.7x-1.6x: the virtual disk's speed drifts from
// one second to the next. Measured (256 MiB, load average ~2 on 2 cores): dd
// 0.70 s, copy 0.59-0.64 s (0.98-1.13x dd), verify 0.29 s; 512 MiB: 0.97x.
// Before the ring of buffers and the early flushes: 0.5-0.7x dd.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLiveTree } from '../test/fixtures/disk/live-tree.ts';
import { cloneNode } from '../tools/clone/clone.ts';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.env.BENCH_CLONE_MIB ?? 256);
const dir = await mkdtemp(join(tmpdir(), 'byz-bench-clone-'));
const isRoot = process.getuid?.() === 0;

function dropCaches() {
  if (!isRoot) return;
  spawnSync('sync');
  spawnSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches']);
}

const rounds = Number(process.env.BENCH_CLONE_ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const live = join(dir, 'live');
  await makeLiveTree(live, { bigModuleBytes: sizeMiB * MiB });
  const ddBytes = sizeMiB * MiB;

  // dd and the clone take turns, several rounds, medians reported: the machine is shared and noisy.
  const ddTimes = [];
  const copyTimes = [];
  const verifyTimes = [];
  const totalTimes = [];
  const formatTimes = [];
  let bytes = 0;
  let files = 0;
  // Reference: dd of the big module (nearly all the bytes) into an image at the same offset, fsync'd.
  async function runDd() {
    dropCaches();
    const ref = join(dir, 'dd.img');
    await writeFile(ref, '');
    const t = performance.now();
    const dd = spawnSync('dd', [`if=${join(live, 'porteus/modules/big.xzm')}`, `of=${ref}`, 'bs=4M', 'oflag=seek_bytes', `seek=${2 * MiB}`, 'conv=fsync,notrunc'], { stdio: 'ignore' });
    ddTimes.push((performance.now() - t) / 1000);
    if (dd.status !== 0) throw new Error('dd failed');
    await rm(ref, { force: true });
  }
  async function runClone() {
    dropCaches();
    const phases = new Map();
    const t = performance.now();
    const result = await cloneNode({ target: join(dir, 'clone.img'), source: live }, (event) => {
      if (event.type === 'phase') phases.set(event.phase, performance.now());
      if (event.type === 'progress' && event.phase === 'copy') bytes = event.bytesTotal;
    });
    totalTimes.push((performance.now() - t) / 1000);
    if (!result.ok) throw new Error('clone did not verify');
    files = result.files;
    // The copy phase ends with an fsync of the target, like dd's conv=fsync.
    formatTimes.push((phases.get('copy') - phases.get('format')) / 1000);
    copyTimes.push((phases.get('bootloader') - phases.get('copy')) / 1000);
    verifyTimes.push((phases.get('commit') - phases.get('verify')) / 1000);
    await rm(join(dir, 'clone.img'), { force: true });
  }
  // Which goes first alternates, so neither always follows the other's file deletion and writeback.
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      await runDd();
      await runClone();
    } else {
      await runClone();
      await runDd();
    }
  }
  const rate = (b, s) => `${(b / MiB / s).toFixed(1)} MiB/s`;
  const ddSeconds = median(ddTimes);
  const copySeconds = median(copyTimes);
  const verifySeconds = median(verifyTimes);
  const ratios = copyTimes.map((c, i) => (bytes / c) / (ddBytes / ddTimes[i]));

  console.log(`data: ${(bytes / MiB).toFixed(1)} MiB (${files} files), target: image file in ${tmpdir()}${isRoot ? ', caches dropped' : ''}; median of ${rounds} rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`dd bs=4M            ${ddSeconds.toFixed(2)} s  ${rate(ddBytes, ddSeconds)}`);
  console.log(`byz clone copy      ${copySeconds.toFixed(2)} s  ${rate(bytes, copySeconds)}  (${median(ratios).toFixed(2)}x dd, rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')}; target >= 0.90x)`);
  console.log(`byz clone verify    ${verifySeconds.toFixed(2)} s  ${rate(bytes, verifySeconds)}  (reads the data once: ${(verifySeconds / copySeconds).toFixed(2)}x the copy time)`);
  console.log(`byz clone format    ${median(formatTimes).toFixed(2)} s  (erase, mkfs.vfat, marker; the hashing thread starts here)`);
  console.log(`byz clone total     ${median(totalTimes).toFixed(2)} s  (format, copy, bootloader, verify, commit)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
