/**
 * The rules for `byz clone --encrypt`, pure so they are tested without a
 * terminal: what encryption applies to, where the passphrase comes from, and
 * what to do on a kernel that cannot open a LUKS container.
 */
import { noPassphraseSource } from '../persist/luks.ts';

export interface EncryptRequest {
  readonly encrypt: boolean;
  readonly keyFile?: string;
  /** --persist SIZE as typed. */
  readonly persist?: string;
  readonly withState: boolean;
  /** Whether a passphrase can be asked (stdin is a terminal). */
  readonly terminal: boolean;
}

/** The one line to refuse these options with, or undefined when they fit together. */
export function encryptOptionProblem(r: EncryptRequest): string | undefined {
  if (r.keyFile !== undefined && !r.encrypt) return 'byz clone: --key-file only makes sense with --encrypt';
  if (!r.encrypt) return undefined;
  if (r.persist === undefined && !r.withState) {
    return 'byz clone: --encrypt encrypts the persistence partition, and there is none: add --persist SIZE (e.g. --persist 2G)';
  }
  if (r.keyFile === undefined && !r.terminal) return noPassphraseSource('byz clone');
  return undefined;
}

/** What to do instead when this kernel has no device-mapper (said after why). */
export const ENCRYPT_LATER_ADVICE =
  'clone without --encrypt, then on a Linux machine whose kernel has device-mapper encrypt the clone\'s second partition (this erases it): byz persist create --partition /dev/sdX2 --encrypt';
