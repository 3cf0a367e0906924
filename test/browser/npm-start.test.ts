import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, test } from 'vitest';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The README's first command: `npm start` serves the built book through the
// node agent and prints where, with an operator login link.
test('npm start serves the book and the API on the given port, and stops on Ctrl-C', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    await expect.poll(() => output, { timeout: 150_000, interval: 500 }).toContain(`http://localhost:${port}/`);
    expect(output).toMatch(/Operator login/);

    const page = await fetch(`http://localhost:${port}/start/`, { headers: { 'accept-encoding': 'br' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<html lang="en"');

    const node = await fetch(`http://localhost:${port}/api/v1/node`);
    expect(node.status).toBe(200);
    expect(await node.json()).toHaveProperty('name');
  } finally {
    child.kill('SIGINT');
  }
  const code = await new Promise((resolve) => child.on('exit', resolve));
  // 130 is the usual status after Ctrl-C; anything else means it crashed.
  expect([0, 130]).toContain(code);
}, 180_000);
