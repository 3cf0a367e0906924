import { describe, expect, it } from 'vitest';
import { parseRequestPath } from '../../tools/agent/request-path.ts';
import { acceptedEncodings, parseRange } from '../../tools/agent/static.ts';
import { hostOf } from '../../tools/agent/host-allowlist.ts';

describe('parseRequestPath', () => {
  it('decodes exactly once', () => {
    expect(parseRequestPath('/ar/%D8%A7/')).toEqual({ ok: true, path: '/ar/ا/', query: '' });
    expect(parseRequestPath('/%252e%252e/x')).toEqual({ ok: true, path: '/%2e%2e/x', query: '' });
  });
  it('refuses dot segments however they are spelled', () => {
    for (const raw of ['/../x', '/a/%2e%2e/x', '/%2E%2E%2Fx', '/a/./b']) expect(parseRequestPath(raw)).toEqual({ ok: false, status: 400 });
  });
  it('refuses NUL, backslashes, control characters and malformed or overlong UTF-8', () => {
    for (const raw of ['/a%00b', '/a%5cb', '/a\\b', '/a%0ab', '/%c0%ae%c0%ae/', '/%e0%80%ae', '/%ff', '/%']) expect(parseRequestPath(raw).ok, raw).toBe(false);
  });
  it('hides dot files and refuses anything but an origin-form path', () => {
    expect(parseRequestPath('/.git/config')).toEqual({ ok: false, status: 404 });
    expect(parseRequestPath('http://host/x').ok).toBe(false);
    expect(parseRequestPath('*').ok).toBe(false);
  });
  it('keeps the query and a trailing slash, and collapses empty segments', () => {
    expect(parseRequestPath('//a//b/?q=1')).toEqual({ ok: true, path: '/a/b/', query: 'q=1' });
  });
});

describe('acceptedEncodings', () => {
  it('honours q=0 and *', () => {
    expect([...acceptedEncodings('gzip, deflate, br')].sort()).toEqual(['br', 'deflate', 'gzip']);
    expect([...acceptedEncodings('br;q=0, *')]).toEqual(['gzip']);
    expect([...acceptedEncodings('identity')]).toEqual(['identity']);
    expect([...acceptedEncodings('gzip;q=0.000')]).toEqual([]);
  });
});

describe('parseRange', () => {
  it('reads one range and refuses what cannot be satisfied', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual([0, 9]);
    expect(parseRange('bytes=90-', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=-10', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=50-1000', 100)).toEqual([50, 99]);
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-1', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe('hostOf', () => {
  it('takes the host from a Host header', () => {
    expect(hostOf('LocalHost:4321')).toBe('localhost');
    expect(hostOf('[::1]:80')).toBe('::1');
    expect(hostOf('node.byzantium.mesh.')).toBe('node.byzantium.mesh');
    expect(hostOf('evil.com:80@x')).toBeNull();
    expect(hostOf('[::1]x')).toBeNull();
    expect(hostOf('a b')).toBeNull();
  });
});

describe('parseRequestPath against random input', () => {
  it('never yields a dot segment, backslash, NUL or a path that does not start at the root', () => {
    const alphabet = ['/', '.', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', '0', 'a', '\\', '?', 'x', '%2e', '%2f', '%5c', '%00', '%25', '%c0%ae', '..', '//'];
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      let raw = '/';
      const length = 1 + Math.floor(random() * 12);
      for (let j = 0; j < length; j++) raw += alphabet[Math.floor(random() * alphabet.length)];
      const result = parseRequestPath(raw);
      if (!result.ok) continue;
      expect(result.path.startsWith('/'), raw).toBe(true);
      expect(result.path.split('/').some((segment) => segment === '..' || segment === '.' || segment.startsWith('.')), raw).toBe(false);
      expect(/[\\\0]/.test(result.path), raw).toBe(false);
    }
  });
});
