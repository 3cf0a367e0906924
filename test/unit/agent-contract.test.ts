import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { Description, DisplayName, WebUrl } from '../../tools/contract/text.ts';
import { RadioReport, ServiceList } from '../../tools/contract/schemas.ts';
import { openApiDocument } from '../../tools/contract/openapi.ts';
import { endpoints } from '../../tools/contract/endpoints.ts';
import { escapeHtml } from '../../tools/agent/escape-html.ts';
import { inlineScriptHashes } from '../../tools/agent/csp.ts';
import { pickLocale } from '../../tools/agent/front-page-strings.ts';

describe('text from other nodes', () => {
  it('allows names in every script of the book', () => {
    for (const name of ['Clinic wiki', 'ويكي العيادة', 'ویکی درمانگاه', '诊所维基', 'node-7_b.2']) expect(v.is(DisplayName, name), name).toBe(true);
  });
  it('refuses markup, controls and overlong names', () => {
    for (const name of ['<b>', '', ' lead', 'a\nb', 'x'.repeat(65), 'a\u202Eb']) expect(v.is(DisplayName, name), JSON.stringify(name)).toBe(false);
  });
  it('keeps descriptions printable (joiners for Persian allowed)', () => {
    expect(v.is(Description, 'می‌توانید')).toBe(true);
    for (const text of ['a\u0000', 'a\u001b[31m', 'x\u2066y', 'd'.repeat(281)]) expect(v.is(Description, text)).toBe(false);
  });
  it('takes only http and https URLs', () => {
    for (const url of ['http://10.1.2.1:8080/chat/', 'https://[fd00::1]/']) expect(v.is(WebUrl, url), url).toBe(true);
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' http://a/', 'data:text/html,x', 'file:///etc/passwd', 'http://u:p@a/', 'http://a/ b', '//a/', 'ftp://a/']) {
      expect(v.is(WebUrl, url), url).toBe(false);
    }
  });
  it('lets no MAC address out as a radio station', () => {
    const radio = (neighbour: string) => ({ radios: [{ interface: 'wlan0', mode: 'IBSS', frequencyMHz: 2412, channel: 1, txPowerDbm: 20, stations: [{ neighbour, signalDbm: -61, averageSignalDbm: null }] }] });
    expect(v.is(RadioReport, radio('fe80::9a1:77f0:3c2:be41'))).toBe(true);
    for (const neighbour of ['02:1a:2b:3c:4d:5e', '021a.2b3c.4d5e', '10.254.3.7']) expect(v.is(RadioReport, radio(neighbour)), neighbour).toBe(false);
  });
  it('caps the number of services a node may announce', () => {
    const service = { id: 'a', name: 'A', description: '', url: 'http://a/', running: true };
    expect(v.is(ServiceList, { node: 'n', services: Array(64).fill(service) })).toBe(true);
    expect(v.is(ServiceList, { node: 'n', services: Array(65).fill(service) })).toBe(false);
  });
});

describe('OpenAPI document', () => {
  it('has every endpoint of the table, with its method', () => {
    const doc = openApiDocument('1.0.0') as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const [name, endpoint] of Object.entries(endpoints)) {
      expect(doc.paths[`/api/v1${endpoint.path}`]?.[endpoint.method.toLowerCase()]?.operationId, name).toBe(name);
    }
  });
});

describe('rendering as text', () => {
  it('escapes everything that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<script>"x" 'y' a=b \`</script>&`)).toBe('&#60;script&#62;&#34;x&#34; &#39;y&#39; a&#61;b &#96;&#60;/script&#62;&#38;');
  });
});

describe('CSP hashes', () => {
  it('hashes inline scripts and skips external ones', () => {
    const html = '<script>a()</script><script type="module" src="/x.js"></script><script type="module">b()</script>';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(inlineScriptHashes(html)).toEqual([hash('a()'), hash('b()')]);
  });
});

describe('pickLocale', () => {
  it('follows ?lang=, then Accept-Language by quality', () => {
    expect(pickLocale('lang=zh-cn', 'ar')).toBe('zh-cn');
    expect(pickLocale('', 'fr, fa;q=0.8, ar;q=0.9')).toBe('ar');
    expect(pickLocale('', 'zh-TW')).toBe('zh-cn');
    expect(pickLocale('lang=xx', 'de')).toBe('en');
  });
});

describe('wizard contract', () => {
  it('takes a one-line passphrase of at most 512 bytes and never repeats it in a refusal', async () => {
    const { JobRequest } = await import('../../tools/contract/schemas.ts');
    expect(v.is(JobRequest, { kind: 'persist', args: ['create', '--encrypt'], passphrase: 'ein Passwort mit Ümlaut' })).toBe(true);
    for (const passphrase of ['', 'two\nlines', 'nul\0', 'é'.repeat(257)]) {
      const result = v.safeParse(JobRequest, { kind: 'persist', args: [], passphrase });
      expect(result.success, JSON.stringify(passphrase)).toBe(false);
      if (passphrase) expect(JSON.stringify(result.issues?.map((i) => i.message))).not.toContain(passphrase);
    }
  });
  it('accepts only /dev paths and printable names for disks', async () => {
    const { DiskChoice } = await import('../../tools/contract/schemas.ts');
    const disk = { path: '/dev/sdc', description: 'Kingston DataTraveler', serial: 'ABC', sizeBytes: 1, removable: true, refusals: [{ code: 'mounted', message: 'x' }] };
    expect(v.is(DiskChoice, disk)).toBe(true);
    for (const bad of [{ path: '/tmp/x' }, { path: '/dev/sd c' }, { description: 'a\u202Eb' }, { refusals: [{ code: 'whatever', message: 'x' }] }]) {
      expect(v.is(DiskChoice, { ...disk, ...bad }), JSON.stringify(bad)).toBe(false);
    }
  });
});
