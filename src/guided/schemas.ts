/**
 * What the setup tools send through the agent (the contract passes their
 * plan, verify report and observed state on as `unknown`), checked here
 * before anything is shown. Loose where the tools may grow, strict on the
 * parts the page renders.
 */
import * as v from 'valibot';

const Short = v.pipe(v.string(), v.maxLength(4096));
const Key = v.pipe(v.string(), v.maxLength(80), v.regex(/^[a-z][a-zA-Z0-9.-]*$/));
const Params = v.record(v.pipe(v.string(), v.maxLength(40)), v.union([Short, v.number(), v.boolean()]));
const Argv = v.pipe(v.array(Short), v.maxLength(128));

const Action = v.variant('kind', [
  v.object({ kind: v.literal('run'), argv: Argv }),
  v.object({ kind: v.literal('start'), argv: Argv, pidFile: Short }),
  v.object({ kind: v.literal('write'), path: Short, content: v.pipe(v.string(), v.maxLength(262144)), mode: v.number() }),
  v.object({ kind: v.literal('remove'), path: Short }),
  v.object({ kind: v.literal('stop'), pidFile: Short }),
  v.object({ kind: v.literal('wait'), timeoutMs: v.number() }),
  v.object({ kind: v.literal('none') }),
]);

export const PlanStep = v.object({ id: Short, messageKey: Key, params: Params, action: Action, skipped: v.optional(Key) });

export const PlanAnswer = v.object({
  plan: v.object({
    plan: v.object({ meshAddress: Short, clientPrefix: Short, steps: v.pipe(v.array(PlanStep), v.maxLength(256)) }),
    choices: v.object({
      meshInterfaces: v.array(Short),
      clientInterface: v.nullish(Short),
      allowWired: v.optional(v.boolean()),
      accessPoint: v.optional(v.boolean()),
      captive: v.optional(v.boolean()),
      radio: v.object({ mode: Short, channel: v.number(), essid: Short }),
    }),
  }),
});

export const VerifyAnswer = v.object({
  ok: v.boolean(),
  report: v.object({
    items: v.pipe(v.array(v.object({ messageKey: Key, params: Params, holds: v.union([v.boolean(), v.literal('skipped')]) })), v.maxLength(256)),
  }),
});

/** The part of `byz status --json` (under OperatorStatus.system) the page shows. */
export const SystemState = v.object({
  setup: v.unknown(),
  interfaces: v.pipe(v.array(v.object({ name: Short, up: v.boolean(), wireless: v.boolean(), addresses: v.array(Short) })), v.maxLength(256)),
});

export type PlanStep = v.InferOutput<typeof PlanStep>;
export type PlanAnswer = v.InferOutput<typeof PlanAnswer>;
export type VerifyAnswer = v.InferOutput<typeof VerifyAnswer>;
export type SystemState = v.InferOutput<typeof SystemState>;
