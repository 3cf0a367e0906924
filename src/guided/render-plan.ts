/**
 * The setup plan as the operator reviews it: each step's description in the
 * reader's language (the setup tools' message key and parameters, translated
 * by the book), then exactly what it runs (the argv as one command line) or
 * writes (the path and the whole file). Text only, never HTML.
 */
import { el } from '../live/live-element.ts';
import type { LiveFormat } from '../live/format.ts';
import type { PlanAnswer, PlanStep, VerifyAnswer } from './schemas.ts';

type Params = PlanStep['params'];

/** A step's message in the reader's language; an unknown key (a newer tool) shows as the key itself. */
export function describe(format: LiveFormat, key: string, params: Params): string {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) values[name] = typeof value === 'number' ? format.integer(value) : String(value);
  return format.fill(`guided.step.${key}`, values);
}

/** An argv as a command line a person could type: words with spaces or quotes are single-quoted (display only; nothing runs it). */
export function commandLine(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

const code = (text: string) => {
  const pre = el('pre');
  pre.dir = 'ltr';
  pre.append(el('code', text));
  return pre;
};

function renderAction(format: LiveFormat, step: PlanStep): HTMLElement[] {
  const a = step.action;
  if (step.skipped) return [el('p', describe(format, step.skipped, step.params), 'skipped')];
  switch (a.kind) {
    case 'run':
    case 'start':
      return [code(commandLine(a.argv))];
    case 'write':
      return [el('p', format.fill('guided.plan.write', { path: a.path })), code(a.content)];
    case 'remove':
      return [el('p', format.fill('guided.plan.remove', { path: a.path }))];
    case 'stop':
      return [el('p', format.fill('guided.plan.stop', { path: a.pidFile }))];
    case 'wait':
      return [el('p', format.fill('guided.plan.wait', { seconds: format.integer(a.timeoutMs / 1000) }))];
    default:
      return [el('p', format.text('guided.plan.check'))];
  }
}

export function renderPlan(format: LiveFormat, answer: PlanAnswer): HTMLElement {
  const { plan } = answer.plan;
  const box = el('div', undefined, 'plan');
  box.append(
    el('h3', format.fill('guided.plan.title', { count: format.integer(plan.steps.length) })),
    el('p', format.fill('guided.plan.addresses', { mesh: plan.meshAddress, clients: plan.clientPrefix })),
  );
  const list = el('ol');
  for (const step of plan.steps) {
    const item = el('li');
    item.dataset.step = step.id;
    item.append(el('p', describe(format, step.messageKey, step.params), 'what'), ...renderAction(format, step));
    list.append(item);
  }
  box.append(list);
  return box;
}

export function renderVerify(format: LiveFormat, answer: VerifyAnswer): HTMLElement {
  const box = el('div', undefined, 'verify');
  box.dataset.ok = String(answer.ok);
  box.append(el('h3', format.text('guided.verify.title')), el('p', format.text(answer.ok ? 'guided.verify.ok' : 'guided.verify.notOk')));
  const list = el('ul');
  for (const item of answer.report.items) {
    const state = item.holds === 'skipped' ? 'skipped' : item.holds ? 'holds' : 'fails';
    const line = el('li', undefined, state);
    line.append(el('span', format.text(`guided.verify.${state}`), 'verdict'), ' ', el('span', describe(format, item.messageKey, item.params)));
    list.append(line);
  }
  box.append(list);
  return box;
}
