import { describe, expect, it } from 'vitest';
import { makeLinkLocalPseudonym } from '../../tools/agent/link-local-pseudonym.ts';

// An EUI-64 link-local address carries the radio's MAC (here 02:1a:2b:3c:4d:5e).
const fromMac = 'fe80::1a:2bff:fe3c:4d5e';

describe('link-local pseudonyms', () => {
  it('hides the MAC inside an EUI-64 address but stays a link-local address', () => {
    const pseudonym = makeLinkLocalPseudonym()(fromMac);
    expect(pseudonym).toMatch(/^fe80::[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}$/);
    expect(pseudonym).not.toContain('2bff');
    expect(pseudonym).not.toContain('4d5e');
  });

  it('gives one address one pseudonym however it is spelt, and two addresses two', () => {
    const p = makeLinkLocalPseudonym();
    expect(p('FE80:0:0:0:1A:2BFF:FE3C:4D5E')).toBe(p(fromMac));
    expect(p(`${fromMac}%wlan0`)).toBe(p(fromMac));
    expect(p('fe80::1')).not.toBe(p(fromMac));
  });

  it('depends on a key only the agent knows', () => {
    expect(makeLinkLocalPseudonym(Buffer.alloc(32, 1))(fromMac)).toBe(makeLinkLocalPseudonym(Buffer.alloc(32, 1))(fromMac));
    expect(makeLinkLocalPseudonym(Buffer.alloc(32, 1))(fromMac)).not.toBe(makeLinkLocalPseudonym(Buffer.alloc(32, 2))(fromMac));
  });

  it('leaves mesh addresses alone', () => {
    const p = makeLinkLocalPseudonym();
    expect(p('10.254.3.7')).toBe('10.254.3.7');
    expect(p('2001:db8::1')).toBe('2001:db8::1');
  });
});
