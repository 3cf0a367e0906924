/**
 * Operating a running node from the book: the mesh's services directory
 * (anyone may read it), and for the logged-in operator this node's services
 * with on/off switches, the gateway switch, and the clone and persistence
 * wizards (./disk-wizards.ts). Names,
 * descriptions and links come from other nodes: they are shown as text, and
 * a link is made only from an http(s) URL.
 */
import { Directory, ServiceSwitchResult, type Service } from '../../tools/contract/schemas.ts';
import { fetchApiJson } from '../live/api.ts';
import type { LiveFormat } from '../live/format.ts';
import { el, type NodeViewCode } from '../live/live-element.ts';
import { parseWith } from '../live/parse.ts';
import { renderClone, renderPersist } from './disk-wizards.ts';
import { showJob } from './job-view.ts';
import { operatorGate, operatorPost } from './session.ts';

/** A link only for http and https; anything else stays plain text. */
export function safeLink(text: string, url: string): HTMLElement {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      const link = el('a', text);
      link.href = parsed.href;
      link.rel = 'noopener noreferrer';
      return link;
    }
  } catch {
    // not a URL: text
  }
  return el('span', text);
}

const refusalOf = (format: LiveFormat, answer: Awaited<ReturnType<typeof fetchApiJson>>) =>
  (!answer.ok && answer.reason === 'unavailable' && answer.message) || format.text('live.invalid');

function renderDirectory(format: LiveFormat, directory: Directory | undefined): HTMLElement {
  const box = el('section', undefined, 'directory');
  box.append(el('h3', format.text('operate.directory.title')));
  if (!directory) return box.append(el('p', format.text('live.invalid'))), box;
  if (directory.entries.length === 0) return box.append(el('p', format.text('operate.directory.none'))), box;
  const list = el('ul');
  for (const entry of directory.entries) {
    const item = el('li');
    item.append(safeLink(entry.name, entry.url), ' ', el('small', format.fill('operate.directory.on', { node: entry.node })));
    if (entry.description) item.append(el('p', entry.description));
    list.append(item);
  }
  box.append(list);
  return box;
}

function renderServices(format: LiveFormat, services: Service[], csrf: string, changed: () => void): HTMLElement {
  const box = el('section', undefined, 'services');
  box.append(el('h3', format.text('operate.services.title')));
  if (services.length === 0) return box.append(el('p', format.text('operate.services.none'))), box;
  const message = el('p', undefined, 'message');
  message.setAttribute('role', 'status');
  const list = el('ul');
  const toggle = async (service: Service, cascade: boolean) => {
    const answer = await operatorPost(`/operator/services/${service.id}`, { on: !service.running, cascade }, csrf);
    const result = answer.ok ? parseWith(ServiceSwitchResult, answer.json) : undefined;
    if (result) {
      message.replaceChildren(format.fill('operate.services.changed', { started: result.started.join(', ') || '–', stopped: result.stopped.join(', ') || '–' }));
      changed();
      return;
    }
    message.replaceChildren(refusalOf(format, answer));
    // Others depend on it: the agent refused; offer to stop them too, explicitly.
    if (!answer.ok && answer.reason === 'unavailable' && answer.code === 'has_dependents') {
      const cascadeButton = el('button', format.text('operate.services.cascade'));
      cascadeButton.type = 'button';
      cascadeButton.dataset.action = 'cascade';
      cascadeButton.addEventListener('click', () => void toggle(service, true));
      message.append(' ', cascadeButton);
    }
  };
  for (const service of services) {
    const item = el('li');
    item.dataset.service = service.id;
    const button = el('button', format.text(service.running ? 'operate.services.off' : 'operate.services.on'));
    button.type = 'button';
    button.setAttribute('aria-pressed', String(service.running));
    button.addEventListener('click', () => void toggle(service, false));
    item.append(el('strong', service.name), ' ', el('span', format.text(service.running ? 'operate.services.running' : 'operate.services.stopped'), 'state'), ' ', button);
    list.append(item);
  }
  box.append(list, message);
  return box;
}

function renderGateway(format: LiveFormat, gateway: boolean | null, csrf: string, changed: () => void): HTMLElement {
  const box = el('section', undefined, 'gateway');
  box.append(el('h3', format.text('operate.gateway.title')), el('p', format.text(`operate.gateway.${gateway === null ? 'unknown' : gateway ? 'isOn' : 'isOff'}`)));
  const actions = el('p', undefined, 'actions');
  const job = el('div', undefined, 'job');
  job.hidden = true;
  for (const on of [true, false]) {
    const button = el('button', format.text(on ? 'operate.gateway.on' : 'operate.gateway.off'));
    button.type = 'button';
    button.dataset.action = on ? 'gateway-on' : 'gateway-off';
    button.addEventListener('click', async () => {
      const outcome = await showJob(job, operatorPost('/operator/gateway', { on }, csrf), format);
      if ('state' in outcome && outcome.state === 'succeeded') changed();
    });
    actions.append(button);
  }
  box.append(actions, job);
  return box;
}

/** Each (re)start of the view; a start that a newer one has overtaken stops drawing. */
const generations = new WeakMap<HTMLElement, number>();

async function start(view: HTMLElement, context: { node: unknown; format: LiveFormat }): Promise<void> {
  const { format } = context;
  const mine = (generations.get(view) ?? 0) + 1;
  generations.set(view, mine);
  const stale = () => generations.get(view) !== mine;
  const restart = () => {
    view.replaceChildren();
    void start(view, context);
  };
  const directoryAnswer = await fetchApiJson('/directory');
  if (stale()) return;
  view.append(renderDirectory(format, directoryAnswer.ok ? parseWith(Directory, directoryAnswer.json) : undefined));
  const operator = await operatorGate(view, format, restart);
  if (!operator || stale()) return;
  const { csrf, status, statusAnswer } = operator;
  if (!status) {
    view.append(el('p', refusalOf(format, statusAnswer), 'refusal'));
    return;
  }
  view.append(renderServices(format, status.services, csrf, restart), renderGateway(format, status.gateway, csrf, restart));
  const wizards = await Promise.all([renderClone(format, csrf), renderPersist(format, csrf)]);
  if (!stale()) view.append(...wizards);
}

export const operateCode: NodeViewCode = { start };
