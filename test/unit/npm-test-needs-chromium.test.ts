import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

// Browsers are never downloaded: without Chromium, `npm test` must stop at
// once with one line that says how to install it.
test('npm test without Chromium fails with one line naming the fix', () => {
  const result = spawnSync(process.execPath, ['scripts/test.mjs'], {
    env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('apt-get install chromium');
});
