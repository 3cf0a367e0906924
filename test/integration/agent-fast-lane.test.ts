// The fast lane answers plain requests for the book's files off the socket and hands every other
// request, with the bytes after it, to node:http. Real HTTP over loopback, raw bytes on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { get, makeSite, rawRequest, startTestAgent } from './agent-harness.ts';

let agent: Awaited<ReturnType<typeof startTestAgent>>;
let root: string;

beforeAll(async () => {
  root = makeSite().root;
  agent = await startTestAgent({ siteDir: root, timeouts: { headersMs: 1000, requestMs: 2000, checkIntervalMs: 200 } });
});
afterAll(() => agent?.close());

const answered = () => agent.fastLane.answered;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Reads answers off a stream of bytes by their Content-Length (HEAD answers have no body), as they arrive. */
class AnswerReader {
  readonly answers: Answer[] = [];
  private bytes: Buffer = Buffer.alloc(0);
  private readonly methods: string[];

  constructor(methods: string[]) {
    this.methods = methods;
  }

  push(chunk: Buffer): void {
    this.bytes = this.bytes.length ? Buffer.concat([this.bytes, chunk]) : chunk;
    for (;;) {
      const end = this.bytes.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.bytes.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const length = this.methods[this.answers.length] === 'HEAD' ? 0 : Number(headers['content-length'] ?? 0);
      if (this.bytes.length < end + 4 + length) return;
      this.answers.push({ status: Number(lines[0]!.split(' ')[1]), headers, body: Buffer.from(this.bytes.subarray(end + 4, end + 4 + length)) });
      this.bytes = this.bytes.subarray(end + 4 + length);
    }
  }
}

/** Writes the chunks on one keep-alive connection (pausing between them) and reads until an answer to each method arrived. */
async function exchange(chunks: string[], methods: string[], { pauseMs = 0, readAfterMs = 0 } = {}): Promise<Answer[]> {
  const socket: Socket = connect(agent.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const reader = new AnswerReader(methods);
  const done = new Promise<Answer[]>((resolve, reject) => {
    socket.on('data', (chunk) => {
      reader.push(chunk);
      if (reader.answers.length === methods.length) resolve(reader.answers);
    });
    socket.on('close', () => reject(new Error(`closed after ${reader.answers.length} answers`)));
    socket.on('error', reject);
    setTimeout(() => reject(new Error(`${reader.answers.length} of ${methods.length} answers after 15 s`)), 15_000);
  });
  if (readAfterMs) socket.pause();
  for (const chunk of chunks) {
    socket.write(chunk);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  if (readAfterMs) setTimeout(() => socket.resume(), readAfterMs);
  try {
    return await done;
  } finally {
    socket.destroy();
  }
}

const request = (method: string, path: string, ...fields: string[]) => [`${method} ${path} HTTP/1.1`, `Host: localhost:${agent.port}`, ...fields, '', ''].join('\r\n');
const withoutDate = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));

describe('the fast lane', () => {
  it('answers a plain GET with exactly the fields node:http gives the same file', async () => {
    const before = answered();
    const [fast] = await exchange([request('GET', '/guide/', 'Accept-Encoding: gzip')], ['GET']);
    expect(answered()).toBe(before + 1);
    // An empty body makes the same GET not plain: node:http answers it.
    const [slow] = await exchange([request('GET', '/guide/', 'Accept-Encoding: gzip', 'Content-Length: 0')], ['GET']);
    expect(answered()).toBe(before + 1);
    expect(fast!.status).toBe(200);
    expect(withoutDate(fast!.headers)).toEqual(withoutDate(slow!.headers));
    expect(fast!.headers.date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(gunzipSync(fast!.body).equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
    expect(fast!.body.equals(slow!.body)).toBe(true);
  });

  it('answers HEAD with the head alone', async () => {
    const before = answered();
    const [head, next] = await exchange([request('HEAD', '/_astro/page.AbC123.js') + request('GET', '/_astro/page.AbC123.js')], ['HEAD', 'GET']);
    expect(answered()).toBe(before + 2);
    expect(head!.headers['content-length']).toBe(next!.headers['content-length']);
    expect(next!.body.equals(readFileSync(join(root, '_astro', 'page.AbC123.js')))).toBe(true);
  });

  it('hands the connection to node:http at the first request that is not plain, in order', async () => {
    const before = answered();
    const answers = await exchange(
      [request('GET', '/guide/') + request('GET', '/api/v1/node') + request('GET', '/_astro/common.XyZ789.css') + request('GET', '/missing', 'Accept: text/html')],
      ['GET', 'GET', 'GET', 'GET'],
    );
    expect(answered()).toBe(before + 1); // only the first: the rest of the connection belongs to node:http
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404]);
    expect(answers[0]!.body.equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
    expect(JSON.parse(answers[1]!.body.toString()).name).toBe('node-a');
    expect(answers[2]!.body.equals(readFileSync(join(root, '_astro', 'common.XyZ789.css')))).toBe(true);
    expect(answers[3]!.body.toString()).toContain('Not found EN');
  });

  it('hands over a request whose body follows in the same packet, byte for byte', async () => {
    const body = JSON.stringify({ token: 'v1.x' });
    const post = [`POST /api/v1/operator/session HTTP/1.1`, `Host: localhost:${agent.port}`, `Origin: http://localhost:${agent.port}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, '', body].join('\r\n');
    const before = answered();
    const answers = await exchange([request('GET', '/guide/') + post + request('GET', '/guide/')], ['GET', 'POST', 'GET']);
    expect(answered()).toBe(before + 1);
    expect(answers.map((a) => a.status)).toEqual([200, 400, 200]);
  });

  it('waits for a head that arrives in pieces', async () => {
    const before = answered();
    const whole = request('GET', '/guide/', 'Accept-Encoding: br');
    const [answer] = await exchange([whole.slice(0, 5), whole.slice(5, 30), whole.slice(30)], ['GET'], { pauseMs: 50 });
    expect(answered()).toBe(before + 1);
    expect(answer!.headers['content-encoding']).toBe('br');
  });

  it('answers every request of a client that stops reading for a while, none lost', async () => {
    const count = 3000;
    const before = answered();
    const answers = await exchange([request('GET', '/guide/').repeat(count)], Array(count).fill('GET'), { readAfterMs: 500 });
    expect(answers).toHaveLength(count);
    expect(answers.every((a) => a.status === 200 && a.body.length === Number(a.headers['content-length']))).toBe(true);
    expect(answered()).toBe(before + count);
  });

  it('gives a second head that never finishes 408, as node:http would', async () => {
    const socket: Socket = connect(agent.port, '127.0.0.1');
    socket.on('error', () => {});
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(request('GET', '/guide/') + 'GET /guide/ HTTP/1.1\r\nX-Slow: ');
    const drip = setInterval(() => socket.writable && socket.write('a'), 200);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(drip);
    const text = Buffer.concat(received).toString('latin1');
    expect(text.startsWith('HTTP/1.1 200 OK')).toBe(true);
    expect(text).toContain('HTTP/1.1 408 Request Timeout');
  });

  it('closes after answering a request that asks for it', async () => {
    const answer = await rawRequest(agent.port, request('GET', '/guide/', 'Connection: close'));
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body.equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
  });

  it('does not hold a malformed head until the timeout: node:http refuses it at once', async () => {
    const bareLf = await rawRequest(agent.port, `GET /guide/ HTTP/1.1\nHost: localhost:${agent.port}\n`);
    expect(bareLf.status).toBe(400);
    const control = await rawRequest(agent.port, `GET /guide/ HTTP/1.1\r\nHost: local\u0001host`);
    expect(control.status).toBe(400);
  });

  it('answers a head larger than node:http allows the way node:http does', async () => {
    const answer = await get(agent.port, '/guide/', { 'X-Big': 'y'.repeat(20_000) });
    expect(answer.status).toBe(431);
  });

  it('leaves foreign Host names, the API, the front page and traversal to the full checks', async () => {
    const before = answered();
    expect((await get(agent.port, '/guide/', { Host: 'evil.example' })).status).toBe(421);
    expect((await get(agent.port, '/')).headers['content-type']).toContain('text/html');
    expect((await get(agent.port, '/%2e%2e/secret.txt')).status).toBe(400);
    expect((await get(agent.port, '/.hidden')).status).toBe(404);
    expect(answered()).toBe(before);
  });
});
