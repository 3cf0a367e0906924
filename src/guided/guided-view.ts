/**
 * The guided setup, loaded once the node has answered: the node's state,
 * the operator's few choices (defaults from the setup tools' own plan), the
 * plan rendered step by step, then Apply with live progress, verification
 * step by step, and Undo. A visitor sees the state and a login form only.
 */
import { NodeSummary } from '../../tools/contract/schemas.ts';
import type { LiveFormat } from '../live/format.ts';
import { el, type NodeViewCode } from '../live/live-element.ts';
import { parseWith } from '../live/parse.ts';
import { renderNodeStatus } from '../live/render-status.ts';
import { showJob } from './job-view.ts';
import { renderPlan, renderVerify } from './render-plan.ts';
import { PlanAnswer, SystemState, VerifyAnswer } from './schemas.ts';
import { operatorGate, operatorPost } from './session.ts';

type Options = Record<string, string | number | boolean>;

function field(format: LiveFormat, label: string, control: HTMLElement): HTMLLabelElement {
  const wrapper = el('label', format.text(label));
  wrapper.append(control);
  return wrapper;
}

function textInput(name: string, list?: string): HTMLInputElement {
  const input = el('input');
  input.name = name;
  input.dir = 'ltr';
  input.autocomplete = 'off';
  if (list) input.setAttribute('list', list);
  return input;
}

function renderInterfaces(format: LiveFormat, system: SystemState): HTMLElement {
  const box = el('div', undefined, 'scroller');
  box.append(el('p', format.text(system.setup ? 'guided.now.setUp' : 'guided.now.notSetUp')));
  const table = el('table');
  const head = el('tr');
  for (const key of ['guided.now.interface', 'guided.now.link', 'guided.now.addresses']) head.append(el('th', format.text(key)));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const face of system.interfaces) {
    const row = el('tr');
    const kind = format.text(face.wireless ? 'guided.now.wireless' : 'guided.now.wired');
    const name = el('td', face.name, 'address');
    name.dir = 'ltr';
    const addresses = el('td', face.addresses.join(' '), 'address');
    addresses.dir = 'ltr';
    row.append(name, el('td', `${kind}, ${format.text(face.up ? 'guided.now.up' : 'guided.now.down')}`), addresses);
    table.tBodies[0]!.append(row);
  }
  box.append(table);
  return box;
}

async function start(view: HTMLElement, context: { node: unknown; format: LiveFormat }): Promise<void> {
  const { format } = context;
  const restart = () => {
    view.replaceChildren();
    void start(view, context);
  };
  const now = el('section', undefined, 'now');
  now.append(el('h3', format.text('guided.now.title')));
  const node = parseWith(NodeSummary, context.node);
  if (node) renderNodeStatus(now, node, format);
  view.append(now);

  const operator = await operatorGate(view, format, restart);
  if (!operator) return;
  const { csrf, status } = operator;
  const system = status ? parseWith(SystemState, status.system) : undefined;
  if (system) now.append(renderInterfaces(format, system));

  // The choices: defaults come from the plan the tools make with none given.
  const form = el('form', undefined, 'choices');
  const names = el('datalist');
  names.id = 'byz-guided-interfaces';
  for (const face of system?.interfaces ?? []) names.append(Object.assign(el('option'), { value: face.name }));
  const mesh = textInput('mesh', names.id);
  const clients = textInput('clients', names.id);
  const mode = el('select');
  mode.name = 'mode';
  for (const value of ['ibss', 'mesh']) mode.append(Object.assign(el('option', format.text(`guided.choice.mode.${value}`)), { value }));
  const channel = textInput('channel');
  channel.type = 'number';
  channel.min = '1';
  channel.max = '196';
  const essid = textInput('essid');
  essid.maxLength = 32;
  const wired = Object.assign(el('input'), { type: 'checkbox', name: 'wired' });
  const accessPoint = Object.assign(el('input'), { type: 'checkbox', name: 'access-point' });
  const captive = Object.assign(el('input'), { type: 'checkbox', name: 'captive' });
  const check = (input: HTMLInputElement, label: string) => {
    const wrapper = el('label', undefined, 'check');
    wrapper.append(input, ' ', format.text(label));
    return wrapper;
  };
  const showPlan = el('button', format.text('guided.plan.show'));
  form.append(
    el('h3', format.text('guided.choices')),
    names,
    field(format, 'guided.choice.mesh', mesh),
    check(wired, 'guided.choice.wired'),
    field(format, 'guided.choice.mode', mode),
    field(format, 'guided.choice.channel', channel),
    field(format, 'guided.choice.essid', essid),
    field(format, 'guided.choice.clients', clients),
    check(accessPoint, 'guided.choice.accessPoint'),
    check(captive, 'guided.choice.captive'),
    showPlan,
  );

  const planBox = el('div', undefined, 'plan-box');
  planBox.setAttribute('aria-live', 'polite');
  const actions = el('p', undefined, 'actions');
  const apply = el('button', format.text('guided.apply'));
  const verify = el('button', format.text('guided.verify'));
  const undo = el('button', format.text('guided.undo'));
  for (const button of [apply, verify, undo]) button.type = 'button';
  apply.dataset.action = 'apply';
  verify.dataset.action = 'verify';
  undo.dataset.action = 'undo';
  actions.append(apply, verify, undo);
  actions.hidden = true;
  const jobBox = el('div', undefined, 'job');
  jobBox.hidden = true;
  const verifyBox = el('div');
  view.append(form, planBox, actions, jobBox, verifyBox);

  const options = (): Options => {
    const chosen: Options = {};
    if (mesh.value.trim()) chosen.mesh = mesh.value.trim();
    if (clients.value.trim()) chosen.clients = clients.value.trim();
    chosen.mode = mode.value;
    if (channel.value) chosen.channel = Number(channel.value);
    if (essid.value) chosen.essid = essid.value;
    if (wired.checked) chosen.wired = true;
    if (accessPoint.checked) chosen['access-point'] = true;
    if (captive.checked) chosen.captive = true;
    return chosen;
  };
  const busy = (yes: boolean) => {
    for (const button of [showPlan, apply, verify, undo]) button.disabled = yes;
  };

  const plan = async (chosen: Options, fill: boolean) => {
    busy(true);
    planBox.replaceChildren(el('p', format.text('live.loading')));
    const answer = await operatorPost('/operator/setup/plan', { options: chosen }, csrf, { timeoutMs: 70_000 });
    busy(false);
    const parsed = answer.ok ? parseWith(PlanAnswer, answer.json) : undefined;
    if (!parsed) {
      const refusal = el('p', (!answer.ok && answer.reason === 'unavailable' && answer.message) || format.text('live.invalid'), 'refusal');
      planBox.replaceChildren(el('p', format.text('guided.plan.refused')), refusal);
      actions.hidden = true;
      return;
    }
    if (fill) {
      const { choices } = parsed.plan;
      mesh.value = choices.meshInterfaces.join(' ');
      clients.value = choices.clientInterface ?? '';
      mode.value = choices.radio.mode;
      channel.value = String(choices.radio.channel);
      essid.value = choices.radio.essid;
      wired.checked = Boolean(choices.allowWired);
      accessPoint.checked = Boolean(choices.accessPoint);
      captive.checked = Boolean(choices.captive);
    }
    planBox.replaceChildren(renderPlan(format, parsed));
    actions.hidden = false;
  };

  const runVerify = async () => {
    busy(true);
    verifyBox.replaceChildren(el('p', format.text('live.loading')));
    const answer = await operatorPost('/operator/setup/verify', { options: options() }, csrf, { timeoutMs: 70_000 });
    busy(false);
    const parsed = answer.ok ? parseWith(VerifyAnswer, answer.json) : undefined;
    verifyBox.replaceChildren(parsed ? renderVerify(format, parsed) : el('p', (!answer.ok && answer.reason === 'unavailable' && answer.message) || format.text('live.invalid'), 'refusal'));
  };

  const runJob = async (path: string) => {
    busy(true);
    verifyBox.replaceChildren();
    const outcome = await showJob(jobBox, operatorPost(path, { options: options() }, csrf), format);
    busy(false);
    return 'state' in outcome && outcome.state === 'succeeded';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void plan(options(), false);
  });
  apply.addEventListener('click', async () => {
    if (await runJob('/operator/setup/apply')) await runVerify();
  });
  verify.addEventListener('click', () => void runVerify());
  undo.addEventListener('click', () => void runJob('/operator/setup/undo'));
  await plan({}, true);
}

export const guidedSetupCode: NodeViewCode = { start };
