/**
 * A plan is a list of steps. Each says what it does (a message key and its
 * parameters, so the book can show it in any language), the action that does
 * it, the action that takes it back, and what must hold once it is done
 * (checked by verify, and by apply to skip what already holds).
 */
export type Action =
  | { readonly kind: 'run'; readonly argv: readonly string[] }
  | { readonly kind: 'write'; readonly path: string; readonly content: string; readonly mode: number }
  | { readonly kind: 'remove'; readonly path: string }
  /** Start a daemon that writes its pid file; restarted when one of `configFiles` changed in the same apply. */
  | { readonly kind: 'start'; readonly argv: readonly string[]; readonly pidFile: string; readonly configFiles: readonly string[] }
  | { readonly kind: 'stop'; readonly pidFile: string }
  /** Wait (up to timeoutMs) until the step's expectation holds. */
  | { readonly kind: 'wait'; readonly timeoutMs: number }
  | { readonly kind: 'none' };

export type Expectation =
  | { readonly kind: 'link-up'; readonly dev: string }
  | { readonly kind: 'address'; readonly dev: string; readonly cidr: string }
  | { readonly kind: 'link-local-ready'; readonly dev: string }
  | { readonly kind: 'file'; readonly path: string; readonly content: string }
  | { readonly kind: 'process'; readonly pidFile: string; readonly program: string }
  | { readonly kind: 'sysctl'; readonly key: string; readonly value: string }
  | { readonly kind: 'radio'; readonly dev: string; readonly type: string; readonly ssid: string; readonly frequency: number }
  | { readonly kind: 'nft-table'; readonly family: string; readonly name: string }
  /** No neighbour on `dev` answers a duplicate-address probe (arping -D) for `address`. */
  | { readonly kind: 'address-free'; readonly dev: string; readonly address: string }
  | { readonly kind: 'nothing' };

export type Params = Readonly<Record<string, string | number | boolean>>;

export interface Step {
  readonly id: string;
  readonly messageKey: string;
  readonly params: Params;
  readonly action: Action;
  readonly undo: Action;
  readonly expect: Expectation;
  /** Set when the step does not apply here (a radio step on a wired lab link); a message key saying why. */
  readonly skipped?: string;
  /** Radio drivers sometimes reset what was set: apply reads back and tries this many more times. */
  readonly retries?: number;
}

export interface Plan {
  /** Format version of this object (the agent's API returns it as it is). */
  readonly version: 1;
  readonly seed: string;
  readonly meshAddress: string;
  readonly clientPrefix: string;
  readonly steps: Step[];
}

export const NO_ACTION: Action = { kind: 'none' };
