// The API over real HTTP on loopback: the public endpoints, the contract, and
// every rule that keeps the operator endpoints safe, attacked the way a
// hostile phone or web page on the mesh would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { NodeSummary, ServiceList, Directory } from '../../tools/contract/schemas.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { get, json, post, rawRequest, startTestAgent } from './agent-harness.ts';

let agent: Awaited<ReturnType<typeof startTestAgent>>;

beforeAll(async () => {
  agent = await startTestAgent({ timeouts: { headersMs: 1000, requestMs: 2000, checkIntervalMs: 200 } });
});
afterAll(() => agent?.close());

const origin = () => `http://localhost:${agent.port}`;

/** Logs in with a fresh one-time link; returns the cookie and the CSRF token. */
async function login(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const link = operatorLink(origin(), agent.stateDir);
  const token = link.split('#')[1]!;
  const answer = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin() });
  expect(answer.status).toBe(200);
  const setCookie = answer.headers['set-cookie']!;
  return { cookie: setCookie.split(';')[0]!, csrf: json(answer).csrfToken, setCookie };
}

describe('public endpoints', () => {
  it('summarise the node, within the contract', async () => {
    const answer = await get(agent.port, '/api/v1/node');
    expect(answer.status).toBe(200);
    const body = v.parse(NodeSummary, json(answer));
    expect(body).toMatchObject({ name: 'node-a', version: '1.2.3', meshAddress: null });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('list services and the directory, within the contract', async () => {
    v.parse(ServiceList, json(await get(agent.port, '/api/v1/services')));
    v.parse(Directory, json(await get(agent.port, '/api/v1/directory')));
  });

  it('publish the OpenAPI document generated from the contract', async () => {
    const doc = json(await get(agent.port, '/api/v1/openapi.json'));
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toContain('/api/v1/services');
    expect(doc.paths['/api/v1/operator/setup/plan'].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(doc.paths['/api/v1/node'].get.responses['200'].content['application/json'].schema.required).toContain('meshAddress');
  });

  it('answer an unknown endpoint and a wrong method with JSON errors', async () => {
    const missing = await get(agent.port, '/api/v1/nothing');
    expect(missing.status).toBe(404);
    expect(json(missing).error.code).toBe('not_found');
    const wrong = await post(agent.port, '/api/v1/node', '{}');
    expect(wrong.status).toBe(405);
  });
});

describe('Host allowlist (DNS rebinding)', () => {
  it('answers 421 to a foreign Host, on pages and on the API', async () => {
    for (const path of ['/', '/api/v1/node', '/api/v1/operator/status']) {
      const answer = await get(agent.port, path, { Host: 'attacker.example' });
      expect(answer.status, path).toBe(421);
    }
    expect((await get(agent.port, '/api/v1/node', { Host: 'attacker.example:4321' })).status).toBe(421);
    expect((await get(agent.port, '/api/v1/node', { Host: 'localhost.attacker.example' })).status).toBe(421);
  });

  it('accepts localhost, loopback addresses and the configured names', async () => {
    for (const host of ['localhost', `localhost:${agent.port}`, '127.0.0.1', '[::1]:80']) {
      expect((await get(agent.port, '/api/v1/node', { Host: host })).status, host).toBe(200);
    }
  });
});

describe('operator login', () => {
  it('keeps the secret private on disk', () => {
    expect(statSync(join(agent.stateDir, 'operator-secret')).mode & 0o077).toBe(0);
  });

  it('refuses operator endpoints without a session', async () => {
    const answer = await get(agent.port, '/api/v1/operator/status');
    expect(answer.status).toBe(401);
    expect(json(answer).error.code).toBe('login_required');
  });

  it('exchanges a one-time link for an HttpOnly, SameSite=Strict, expiring cookie, once', async () => {
    const link = operatorLink(origin(), agent.stateDir);
    expect(link).toMatch(new RegExp(`^${origin()}/operator/login#v1\\.`));
    const token = link.split('#')[1]!;
    const first = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin() });
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toMatch(/^byz_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const again = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin() });
    expect(again.status).toBe(401);
  });

  it('refuses a forged token', async () => {
    const token = operatorLink(origin(), agent.stateDir).split('#')[1]!;
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const answer = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token: forged }), { Origin: origin() });
    expect(answer.status).toBe(401);
  });

  it('serves the login page without inline script', async () => {
    const page = await get(agent.port, '/operator/login');
    expect(page.status).toBe(200);
    expect(page.body.toString()).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline\'; style');
  });
});

describe('state changes need the same origin and the CSRF token', () => {
  const plan = '/api/v1/operator/setup/plan';

  it('refuses a cross-site POST even with a valid session and token', async () => {
    const { cookie, csrf } = await login();
    const answer = await post(agent.port, plan, '{}', { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: 'http://attacker.example' });
    expect(answer.status).toBe(403);
    expect(json(answer).error.code).toBe('cross_site');
    const nullOrigin = await post(agent.port, plan, '{}', { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const crossFetch = await post(agent.port, plan, '{}', { Cookie: cookie, 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' });
    expect(crossFetch.status).toBe(403);
  });

  it('refuses a POST with neither Origin nor Sec-Fetch-Site', async () => {
    const { cookie, csrf } = await login();
    expect((await post(agent.port, plan, '{}', { Cookie: cookie, 'X-CSRF-Token': csrf })).status).toBe(403);
  });

  it('refuses a missing or wrong CSRF token', async () => {
    const { cookie } = await login();
    const missing = await post(agent.port, plan, '{}', { Cookie: cookie, Origin: origin() });
    expect(missing.status).toBe(403);
    expect(json(missing).error.code).toBe('csrf');
    const wrong = await post(agent.port, plan, '{}', { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
  });

  it('refuses a token in the URL', async () => {
    const { cookie, csrf } = await login();
    const answer = await post(agent.port, `${plan}?csrf=${csrf}`, '{}', { Cookie: cookie, Origin: origin() });
    expect(answer.status).toBe(400);
    expect(json(answer).error.code).toBe('token_in_url');
  });

  it('lets a same-origin request with the token through to the setup tools', async () => {
    const { cookie, csrf } = await login();
    const answer = await post(agent.port, '/api/v1/operator/services/none', JSON.stringify({ on: true }), { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': csrf });
    expect(answer.status).toBe(404); // passed every check; there is simply no such service
    expect(json(answer).error.message).toContain('no service');
    const sameOrigin = await post(agent.port, '/api/v1/operator/services/none', JSON.stringify({ on: true }), { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': csrf });
    expect(sameOrigin.status).toBe(404);
  });

  it('does not change the machine unless started with --allow-apply', async () => {
    const { cookie, csrf } = await login();
    const answer = await post(agent.port, '/api/v1/operator/setup/apply', '{}', { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': csrf });
    expect(answer.status).toBe(403);
    expect(json(answer).error.code).toBe('apply_disabled');
  });
});

describe('bodies', () => {
  const endpoint = '/api/v1/operator/services/web';

  it('refuses an oversized body before reading it', async () => {
    const { cookie, csrf } = await login();
    const big = JSON.stringify({ on: true, pad: 'x'.repeat(20_000) });
    const answer = await post(agent.port, endpoint, big, { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': csrf });
    expect(answer.status).toBe(413);
  });

  it('refuses an oversized chunked body', async () => {
    const { cookie, csrf } = await login();
    const chunk = 'x'.repeat(8000);
    const chunks = Array.from({ length: 4 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const request =
      `POST ${endpoint} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n` +
      `Cookie: ${cookie}\r\nOrigin: http://localhost\r\nX-CSRF-Token: ${csrf}\r\n\r\n${chunks}`;
    expect((await rawRequest(agent.port, request)).status).toBe(413);
  });

  it('refuses malformed JSON, a body outside the schema, and other content types', async () => {
    const { cookie, csrf } = await login();
    const headers = { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': csrf };
    const malformed = await post(agent.port, endpoint, '{"on": tru', headers);
    expect(malformed.status).toBe(400);
    expect(json(malformed).error.code).toBe('malformed_json');
    const wrongType = await post(agent.port, endpoint, '{"on": "yes"}', headers);
    expect(wrongType.status).toBe(400);
    expect(json(wrongType).error.code).toBe('invalid_body');
    const extra = await post(agent.port, endpoint, '{"on": true, "shell": "rm -rf /"}', headers);
    expect(extra.status).toBe(400);
    const form = await post(agent.port, endpoint, 'on=true', { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('refuses a login body outside the schema', async () => {
    const answer = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token: '<script>' }), { Origin: origin() });
    expect(answer.status).toBe(400);
  });
});

describe('slow and greedy clients', () => {
  it('closes a connection whose headers never finish', async () => {
    const closedBy = await new Promise<string>((resolve) => {
      const socket = connect(agent.port, '127.0.0.1');
      socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: '));
      socket.on('error', () => {}); // EPIPE from the drip once the server has hung up: expected
      const drip = setInterval(() => socket.writable && socket.write('a'), 200);
      socket.on('close', () => {
        clearInterval(drip);
        resolve('server');
      });
      setTimeout(() => {
        clearInterval(drip);
        socket.destroy();
        resolve('test gave up');
      }, 20_000);
    });
    expect(closedBy).toBe('server');
  });

  it('closes a connection whose body never finishes', async () => {
    const closedBy = await new Promise<string>((resolve) => {
      const socket = connect(agent.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('connect', () => socket.write('POST /api/v1/operator/session HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":'));
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('close', () => {
        clearInterval(drip);
        resolve('server');
      });
      setTimeout(() => {
        clearInterval(drip);
        socket.destroy();
        resolve('test gave up');
      }, 20_000);
    });
    expect(closedBy).toBe('server');
  });

  it('refuses oversized headers', async () => {
    const answer = await get(agent.port, '/api/v1/node', { 'X-Big': 'y'.repeat(20_000) });
    expect(answer.status).toBe(431);
  });
});

describe('login rate limit', () => {
  it('answers 429 after a few wrong tokens in a row', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token: `v1.zzzz.${'a'.repeat(22)}.${'b'.repeat(43)}` }), { Origin: origin() });
      statuses.push(answer.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(-1)[0]).toBe(429);
  });
});

describe('connections per client', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!external && !process.env.CI)('closes the connections of one device beyond its share', async () => {
    expect(external, 'this machine needs a non-loopback IPv4 address for this test').toBeTruthy();
    const wide = await startTestAgent({ host: '0.0.0.0', maxConnectionsPerClient: 5 });
    const sockets = await Promise.all(
      Array.from({ length: 8 }, () => new Promise<import('node:net').Socket>((resolve) => {
        const socket = connect({ port: wide.port, host: external!, localAddress: external! });
        socket.on('error', () => {});
        socket.on('connect', () => resolve(socket));
      })),
    );
    await new Promise((r) => setTimeout(r, 300));
    const open = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open');
    expect(open.length).toBe(5);
    for (const socket of sockets) socket.destroy();
    await wide.close();
  });
});

describe('operator endpoints off loopback', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!external && !process.env.CI)('are refused on a non-loopback address unless --operator-remote', async () => {
    expect(external, 'this machine needs a non-loopback IPv4 address for this test').toBeTruthy();
    const wide = await startTestAgent({ host: '0.0.0.0' });
    try {
      const publicAnswer = await rawRequest(wide.port, `GET /api/v1/node HTTP/1.1\r\nHost: ${external}\r\nConnection: close\r\n\r\n`, external);
      expect(publicAnswer.status).toBe(200);
      const operator = await rawRequest(wide.port, `GET /api/v1/operator/status HTTP/1.1\r\nHost: ${external}\r\nConnection: close\r\n\r\n`, external);
      expect(operator.status).toBe(403);
      expect(json(operator).error.code).toBe('operator_loopback_only');
    } finally {
      await wide.close();
    }
  });
});
