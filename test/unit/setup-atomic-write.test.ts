import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAtomicTemp, writeFileAtomic } from '../../tools/common/atomic-write.ts';

describe('writeFileAtomic', () => {
  it('writes content with the mode asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-atomic-'));
    await writeFileAtomic(join(dir, 'a.conf'), 'hello\n', 0o600);
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe('hello\n');
    expect(statSync(join(dir, 'a.conf')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.conf']);
  });

  it('a writer killed at any moment leaves the old content or the new, never a mix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-atomic-'));
    const target = join(dir, 'big.conf');
    const old = 'old\n'.repeat(200_000);
    const fresh = 'new\n'.repeat(200_000);
    const module = new URL('../../tools/common/atomic-write.ts', import.meta.url).pathname;
    for (let round = 0; round < 8; round++) {
      writeFileSync(target, old);
      const child = spawn(process.execPath, ['--input-type=module', '-e', `const { writeFileAtomic } = await import(${JSON.stringify(module)}); for (;;) await writeFileAtomic(${JSON.stringify(target)}, ${JSON.stringify('new\n')}.repeat(200000));`], { stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 25));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      const content = readFileSync(target, 'utf8');
      expect(content === old || content === fresh).toBe(true);
      for (const name of readdirSync(dir)) expect(name === 'big.conf' || isAtomicTemp(name)).toBe(true);
    }
  });
});
