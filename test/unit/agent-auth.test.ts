import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { OperatorAuth, makeLoginToken } from '../../tools/agent/auth.ts';
import { RateLimit } from '../../tools/agent/rate-limit.ts';
import { dependencyOrder, type ServiceDefinition } from '../../tools/agent/services.ts';

describe('login tokens and sessions', () => {
  const secret = randomBytes(32);
  it('work once, within their lifetime, only with the right secret', () => {
    const auth = new OperatorAuth(secret);
    const token = makeLoginToken(secret);
    expect(auth.login(token)).not.toBeNull();
    expect(auth.login(token)).toBeNull();
    expect(new OperatorAuth(randomBytes(32)).login(makeLoginToken(secret))).toBeNull();
    const old = makeLoginToken(secret, Date.now() - 11 * 60_000);
    expect(auth.login(old)).toBeNull();
    // A link made before the agent (re)started does not work: the list of used links is gone.
    const beforeStart = makeLoginToken(secret, Date.now() - 60_000);
    expect(new OperatorAuth(secret).login(beforeStart)).toBeNull();
  });
  it('expire sessions', () => {
    const now = Date.now();
    const auth = new OperatorAuth(secret, { sessionLifetimeMs: 1000, now });
    const session = auth.login(makeLoginToken(secret, now), now)!;
    expect(auth.sessionFrom(`a=b; byz_session=${session.id}`, now + 500)).toEqual(session);
    expect(auth.sessionFrom(`byz_session=${session.id}`, now + 1500)).toBeNull();
    expect(auth.csrfHolds(session, session.csrfToken)).toBe(true);
    expect(auth.csrfHolds(session, session.csrfToken + 'x')).toBe(false);
    expect(auth.csrfHolds(session, undefined)).toBe(false);
  });
});

describe('RateLimit', () => {
  it('blocks a key after its failures, and everyone after too many in all', () => {
    const limit = new RateLimit({ perKey: 2, total: 3, windowMs: 1000 });
    limit.recordFailure('a', 0);
    expect(limit.blocked('a', 1)).toBe(false);
    limit.recordFailure('a', 2);
    expect(limit.blocked('a', 3)).toBe(true);
    expect(limit.blocked('b', 3)).toBe(false);
    limit.recordFailure('b', 4);
    expect(limit.blocked('c', 5)).toBe(true);
    expect(limit.blocked('a', 1500)).toBe(false);
  });
});

describe('dependencyOrder', () => {
  const def = (dependsOn: string[]): ServiceDefinition => ({ name: 'S', description: '', path: '/', dependsOn, autostart: false, port: 1 });
  it('puts dependencies first and finds circles', () => {
    const defs = new Map([['web', def(['db', 'cache'])], ['db', def([])], ['cache', def(['db'])]]);
    expect(dependencyOrder(defs, ['web'])).toEqual(['db', 'cache', 'web']);
    const circle = new Map([['a', def(['b'])], ['b', def(['a'])]]);
    expect(() => dependencyOrder(circle, ['a'])).toThrow(/circle: a → b → a/);
  });
});

describe('progressFromLine', () => {
  it("reads byz clone's JSON-lines events and plain lines", async () => {
    const { progressFromLine } = await import('../../tools/agent/jobs.ts');
    expect(progressFromLine('{"type":"phase","phase":"copy","message":"Copying files"}')).toEqual({ message: 'Copying files' });
    expect(progressFromLine('{"type":"progress","phase":"copy","bytesDone":10,"bytesTotal":40,"bytesPerSecond":5}')).toEqual({ done: 10, total: 40 });
    expect(progressFromLine('Formatting /dev/sdb1')).toEqual({ message: 'Formatting /dev/sdb1' });
    expect(progressFromLine('{"broken"')).toEqual({ message: '{"broken"' });
  });
});
