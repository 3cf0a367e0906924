import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../tools/common/errors.ts';
import { parseBabelFilters, readBabelFilters } from '../../tools/setup/babel-filters.ts';

describe("the operator's babeld filters file", () => {
  it('keeps in and out filters, drops comments and blank lines', () => {
    const text = '# a node sending junk\nin neigh fe80::4494:3bff:feb9:8469 deny\n\n   out ip 10.99.0.0/16 deny  \nin id d8:30:b6:db:c4:19:9f:45 deny\n';
    expect(parseBabelFilters(text, 'f')).toEqual(['in neigh fe80::4494:3bff:feb9:8469 deny', 'out ip 10.99.0.0/16 deny', 'in id d8:30:b6:db:c4:19:9f:45 deny']);
  });

  it.each([
    ['redistribute ip 0.0.0.0/0 allow', 1],
    ['interface eth9', 1],
    ['in', 1],
    ['# fine\nin ip 10.0.0.0/8 deny\nlocal-path /tmp/x', 3],
    ['in ip 10.0.0.0/8 deny\u0007', 1],
  ])('refuses %j with one line naming the line', (text, line) => {
    expect(() => parseBabelFilters(text, '/etc/byzantium/babeld-filters.conf')).toThrow(new RegExp(`^byz: /etc/byzantium/babeld-filters\\.conf line ${line}: only babeld`));
    expect(() => parseBabelFilters(text, 'f')).toThrow(UserError);
  });

  it('a missing file means no filters; a present one is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-filters-'));
    expect(await readBabelFilters(dir)).toEqual([]);
    writeFileSync(join(dir, 'babeld-filters.conf'), 'in ip 10.1.0.0/16 deny\n');
    expect(await readBabelFilters(dir)).toEqual(['in ip 10.1.0.0/16 deny']);
  });
});
