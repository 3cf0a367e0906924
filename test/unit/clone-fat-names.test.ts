import { describe, expect, it } from 'vitest';
import { fatNameProblem } from '../../tools/clone/source.ts';

describe('names a FAT boot partition can hold', () => {
  it.each(['vmlinuz', 'initrd.xz', '001-core.xzm', '.hidden', 'Node Notes (copy).txt', 'عقدة.txt', '节点', 'a'.repeat(255)])('accepts %s', (name) => {
    expect(fatNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['notes:today', 'it contains ":"'],
    ['what?', 'it contains "?"'],
    ['a\\b', 'it contains "\\"'],
    ['pipe|name', 'it contains "|"'],
    ['quote"d', 'it contains """'],
    ['tab\there', 'it contains a control character'],
    ['ends.', 'it ends with a dot or a space'],
    ['ends ', 'it ends with a dot or a space'],
    ['x'.repeat(256), 'it is longer than 255 characters'],
    ['bad\ufffdbytes', 'it is not valid UTF-8'],
  ])('refuses %j: %s', (name, why) => {
    expect(fatNameProblem(name)).toBe(why);
  });
});
