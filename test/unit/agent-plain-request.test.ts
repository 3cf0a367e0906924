// The fast lane's reader recognises only the plainest requests; everything else must come back null
// so that node:http's own parser judges it.
import { describe, expect, it } from 'vitest';
import { parsePlainHead } from '../../tools/agent/plain-request.ts';

const head = (...lines: string[]) => lines.join('\r\n');

describe('plain requests', () => {
  it('reads a phone asking for a page', () => {
    expect(parsePlainHead(head('GET /ar/guide/ HTTP/1.1', 'Host: 10.0.0.1', 'User-Agent: Mozilla/5.0 (Linux; Android 9)', 'Accept-Encoding: gzip, deflate, br', 'Accept-Language: ar'))).toEqual({
      method: 'GET',
      target: '/ar/guide/',
      host: '10.0.0.1',
      acceptEncoding: 'gzip, deflate, br',
      close: false,
    });
  });

  it('takes HEAD, any case of field names, spaces around values, and Connection keep-alive or close', () => {
    expect(parsePlainHead(head('HEAD /x.css HTTP/1.1', 'hOsT:  node-a.byzantium.mesh \t', 'CONNECTION: Close'))).toEqual({
      method: 'HEAD',
      target: '/x.css',
      host: 'node-a.byzantium.mesh',
      acceptEncoding: undefined,
      close: true,
    });
    expect(parsePlainHead(head('GET / HTTP/1.1', 'Host: a', 'Connection: keep-alive'))?.close).toBe(false);
  });

  it('keeps the target as sent (decoding is the path check\'s job)', () => {
    expect(parsePlainHead(head('GET /%2e%2e/secret?x=1 HTTP/1.1', 'Host: a'))?.target).toBe('/%2e%2e/secret?x=1');
  });
});

describe('anything else is not plain', () => {
  const notPlain: Record<string, string> = {
    'a POST': head('POST /api/v1/x HTTP/1.1', 'Host: a', 'Content-Length: 2'),
    'a lower-case method': head('get / HTTP/1.1', 'Host: a'),
    'HTTP/1.0': head('GET / HTTP/1.0', 'Host: a'),
    'HTTP/2 in a request line': head('GET / HTTP/2.0', 'Host: a'),
    'an absolute target': head('GET http://a/ HTTP/1.1', 'Host: a'),
    'a target with a space': head('GET /a b HTTP/1.1', 'Host: a'),
    'two spaces in the request line': head('GET  / HTTP/1.1', 'Host: a'),
    'no Host': head('GET / HTTP/1.1', 'Accept: */*'),
    'an empty Host': head('GET / HTTP/1.1', 'Host: '),
    'two Hosts': head('GET / HTTP/1.1', 'Host: a', 'Host: b'),
    'two Accept-Encodings': head('GET / HTTP/1.1', 'Host: a', 'Accept-Encoding: gzip', 'Accept-Encoding: br'),
    'a body length, even zero': head('GET / HTTP/1.1', 'Host: a', 'Content-Length: 0'),
    'a chunked body': head('GET / HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked'),
    'a range': head('GET /big.img HTTP/1.1', 'Host: a', 'Range: bytes=0-9'),
    'a condition': head('GET / HTTP/1.1', 'Host: a', 'If-None-Match: "x"'),
    'an upgrade': head('GET / HTTP/1.1', 'Host: a', 'Connection: Upgrade', 'Upgrade: websocket'),
    'Expect': head('GET / HTTP/1.1', 'Host: a', 'Expect: 100-continue'),
    'a field without a colon': head('GET / HTTP/1.1', 'Host: a', 'Broken'),
    'a space before the colon': head('GET / HTTP/1.1', 'Host : a'),
    'a folded line': head('GET / HTTP/1.1', 'Host: a', 'X-A: b', ' continued'),
    'a control character in a value': head('GET / HTTP/1.1', 'Host: a', 'X-A: b\u0001'),
    'a byte above ASCII in a value': head('GET / HTTP/1.1', 'Host: a', 'X-A: caf\u00e9'),
    'a bare LF': 'GET / HTTP/1.1\nHost: a',
    'an empty line first': head('', 'GET / HTTP/1.1', 'Host: a'),
    'more than 64 fields': head('GET / HTTP/1.1', 'Host: a', ...Array.from({ length: 64 }, (_, i) => `X-${i}: y`)),
  };
  for (const [what, text] of Object.entries(notPlain)) {
    it(what, () => expect(parsePlainHead(text)).toBeNull());
  }

  it('64 fields are still plain', () => {
    expect(parsePlainHead(head('GET / HTTP/1.1', 'Host: a', ...Array.from({ length: 63 }, (_, i) => `X-${i}: y`)))).not.toBeNull();
  });
});

describe('hostile bytes', () => {
  it('never throws, and whatever it accepts is printable ASCII with a path target and a Host', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = ['GET ', 'HEAD ', '/', 'a', ' HTTP/1.1', '\r\n', '\n', '\r', 'Host:', ' x', ':', '\0', '\u00ff', '\t', 'Connection: close', 'Content-Length: 1', '%00', ' '];
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const request = parsePlainHead(random() < 0.5 ? text : `GET /${text}`);
      if (!request) continue;
      expect(['GET', 'HEAD']).toContain(request.method);
      expect(request.target).toMatch(/^\/[!-~]*$/);
      expect(request.host).toMatch(/^[!-~](?:[\t -~]*[!-~])?$/);
    }
  });
});
