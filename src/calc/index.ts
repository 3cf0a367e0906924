// The calculators' pure functions: no DOM, no I/O, usable in the browser, on a node and in tests.
export * from './messages.ts';
export * from './constants.ts';
export * from './link-budget.ts';
export * from './fresnel.ts';
export * from './channels.ts';
export * from './can-antenna.ts';
export * from './parse-number.ts';
