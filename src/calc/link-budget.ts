import { SPEED_OF_LIGHT } from './constants.ts';
import { fail, ok, type CalcResult } from './messages.ts';
import { checkAll, distanceKm, frequencyMHz, type Bound } from './validate.ts';

/**
 * Free-space path loss in dB: how much weaker a signal is after travelling a
 * distance through empty space, 20·log10(4π·d·f / c). It is the best case;
 * walls, trees and rain only add to it. Inputs must be positive (see
 * linkBudget for a checked version).
 */
export function freeSpacePathLossDb(distanceKm: number, frequencyMHz: number): number {
  const metres = distanceKm * 1000;
  const hertz = frequencyMHz * 1e6;
  return 20 * Math.log10((4 * Math.PI * metres * hertz) / SPEED_OF_LIGHT);
}

export interface LinkBudgetInput {
  frequencyMHz: number;
  distanceKm: number;
  /** Transmitter output power at the radio's connector, dBm. */
  txPowerDbm: number;
  txAntennaGainDbi: number;
  rxAntennaGainDbi: number;
  /** Cable and connector losses on the transmitting side, dB. */
  txLossDb: number;
  /** Cable and connector losses on the receiving side, dB. */
  rxLossDb: number;
  /** Weakest signal the receiving radio can still decode at the wanted rate, dBm. */
  rxSensitivityDbm: number;
}

/**
 * How robust a link is against fading. The thresholds are the common rule of
 * thumb for outdoor Wi-Fi links: below 10 dB a link drops out in bad weather
 * or when leaves move; 20 dB and more rides through most of it.
 */
export type FadeVerdict = 'none' | 'thin' | 'fair' | 'good';

export interface LinkBudget {
  pathLossDb: number;
  /** Effective isotropic radiated power: what the transmitting antenna sends out, dBm. */
  eirpDbm: number;
  receivedDbm: number;
  fadeMarginDb: number;
  verdict: FadeVerdict;
}

const power = (field: string): Bound => ({
  field,
  min: -50,
  max: 60,
  minInclusive: true,
  key: 'calc.error.powerRange',
});
const gain = (field: string): Bound => ({
  field,
  min: -20,
  max: 60,
  minInclusive: true,
  key: 'calc.error.gainRange',
});
const loss = (field: string): Bound => ({
  field,
  min: 0,
  max: 100,
  minInclusive: true,
  key: 'calc.error.lossRange',
});
const sensitivity = (field: string): Bound => ({
  field,
  min: -150,
  max: 0,
  minInclusive: true,
  key: 'calc.error.powerRange',
});

export function fadeVerdict(marginDb: number): FadeVerdict {
  if (marginDb < 0) return 'none';
  if (marginDb < 10) return 'thin';
  if (marginDb < 20) return 'fair';
  return 'good';
}

export function linkBudget(input: LinkBudgetInput): CalcResult<LinkBudget> {
  const error = checkAll([
    [input.frequencyMHz, frequencyMHz()],
    [input.txPowerDbm, power('txPower')],
    [input.txAntennaGainDbi, gain('txGain')],
    [input.txLossDb, loss('txLoss')],
    [input.distanceKm, distanceKm()],
    [input.rxAntennaGainDbi, gain('rxGain')],
    [input.rxLossDb, loss('rxLoss')],
    [input.rxSensitivityDbm, sensitivity('rxSensitivity')],
  ]);
  if (error) return fail(error.key, error.field);

  const pathLossDb = freeSpacePathLossDb(input.distanceKm, input.frequencyMHz);
  const eirpDbm = input.txPowerDbm - input.txLossDb + input.txAntennaGainDbi;
  const receivedDbm = eirpDbm - pathLossDb + input.rxAntennaGainDbi - input.rxLossDb;
  const fadeMarginDb = receivedDbm - input.rxSensitivityDbm;
  return ok({ pathLossDb, eirpDbm, receivedDbm, fadeMarginDb, verdict: fadeVerdict(fadeMarginDb) });
}
