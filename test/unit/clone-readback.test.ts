import { describe, expect, it } from 'vitest';
import { directReadArgv } from '../../tools/clone/readback.ts';

describe('the O_DIRECT read of a device range', () => {
  it('runs dd with iflag=direct over whole 4 KiB blocks around the range, and says how much to drop', () => {
    const { argv, skipHead } = directReadArgv('/dev/sdz', 1_049_088, 10_000);
    expect(argv).toEqual(['dd', 'if=/dev/sdz', 'iflag=direct,skip_bytes,count_bytes', 'bs=4M', 'skip=1048576', 'count=12288', 'status=none']);
    expect(skipHead).toBe(512);
  });
  it('does not widen a range that is already aligned', () => {
    expect(directReadArgv('/dev/sdz', 8192, 4096)).toEqual({ argv: expect.arrayContaining(['skip=8192', 'count=4096']), skipHead: 0 });
  });
});
