/** Verify: read the machine back and report, step by step, what holds. */
import type { Host } from '../common/run.ts';
import type { Plan } from '../plan/step.ts';
import { holds } from './expectations.ts';

export interface VerifyItem {
  readonly id: string;
  readonly messageKey: string;
  readonly params: Plan['steps'][number]['params'];
  readonly holds: boolean | 'skipped';
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly items: VerifyItem[];
}

export async function verifyPlan(host: Host, plan: Plan): Promise<VerifyReport> {
  const items: VerifyItem[] = [];
  for (const step of plan.steps) {
    const result = step.skipped ? 'skipped' : await holds(host, step.expect);
    items.push({ id: step.id, messageKey: step.messageKey, params: step.params, holds: result });
  }
  return { ok: items.every((item) => item.holds !== false), items };
}
