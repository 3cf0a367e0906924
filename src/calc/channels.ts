import { fail, ok, type CalcResult } from './messages.ts';

export type WifiBand = '2.4' | '5';

/** 20 MHz channel numbers per band, in the order a reader looks for them. */
export const WIFI_CHANNELS: Readonly<Record<WifiBand, readonly number[]>> = {
  '2.4': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  '5': [
    36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144,
    149, 153, 157, 161, 165, 169, 173, 177,
  ],
};

/**
 * Centre frequency in MHz of a Wi-Fi channel. 2.4 GHz channels sit 5 MHz
 * apart from 2412 MHz, except channel 14 (Japan, 802.11b only) at 2484 MHz;
 * 5 GHz channels are at 5000 + 5·n MHz.
 */
export function wifiChannelMHz(band: WifiBand, channel: number): CalcResult<number> {
  if (!WIFI_CHANNELS[band]?.includes(channel)) return fail('calc.error.unknownChannel', 'channel');
  if (band === '2.4') return ok(channel === 14 ? 2484 : 2407 + 5 * channel);
  return ok(5000 + 5 * channel);
}

/** The band and channel for a centre frequency, when it is a Wi-Fi channel. */
export function wifiChannelOf(frequencyMHz: number): { band: WifiBand; channel: number } | undefined {
  for (const band of ['2.4', '5'] as const) {
    for (const channel of WIFI_CHANNELS[band]) {
      const found = wifiChannelMHz(band, channel);
      if (found.ok && found.value === frequencyMHz) return { band, channel };
    }
  }
  return undefined;
}
