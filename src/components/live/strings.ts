import { z } from 'astro/zod';

/** Every UI string of the live views (see ../calc/strings.ts for how the list is used). */
export const LIVE_KEYS = [
  'live.loading',
  'live.absent',
  'live.unavailable',
  'live.invalid',
  'live.refresh',
  'live.updated',
  'live.status.title',
  'live.status.name',
  'live.status.address',
  'live.status.noAddress',
  'live.status.uptime',
  'live.status.version',
  'live.neighbours.title',
  'live.neighbours.none',
  'live.neighbours.address',
  'live.neighbours.interface',
  'live.neighbours.cost',
  'live.neighbours.quality',
  'live.quality.good',
  'live.quality.fair',
  'live.quality.poor',
  'live.quality.lost',
  'live.map.title',
  'live.map.summary',
  'live.map.self',
  'live.map.legend',
  'live.map.gateway',
] as const;

export type LiveKey = (typeof LIVE_KEYS)[number];

export const liveStringsSchema = z.object(
  Object.fromEntries(LIVE_KEYS.map((key) => [key, z.string().optional()])) as {
    [K in LiveKey]: z.ZodOptional<z.ZodString>;
  },
);
