/**
 * The clone and persistence wizards of the operator's page. Both choose
 * from the agent's refusal-aware disk lists (a refused disk is shown with
 * its reasons and cannot be picked), confirm with the disk's model, size and
 * serial, start the `byz clone` or `byz persist` job and follow it to its
 * result. Everything from the node is put into the page as text. A
 * passphrase goes in the job request's body, which the agent hands to byz
 * in a private key file: never in the job's arguments.
 */
import { CloneTargets, PersistInfo, type DiskChoice } from '../../tools/contract/schemas.ts';
import { fetchApiJson } from '../live/api.ts';
import type { LiveFormat } from '../live/format.ts';
import { el } from '../live/live-element.ts';
import { parseWith } from '../live/parse.ts';
import { showJob } from './job-view.ts';
import { operatorPost } from './session.ts';

/** Sizes as printed on sticks (decimal units), in the page's language. */
export function formatSize(lang: string, bytes: number): string {
  const [value, unit] = bytes >= 1e9 ? [bytes / 1e9, 'gigabyte'] : [bytes / 1e6, 'megabyte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

const ltr = <T extends HTMLElement>(element: T): T => ((element.dir = 'ltr'), element);

function input(name: string, type = 'text'): HTMLInputElement {
  const field = Object.assign(el('input'), { name, type, autocomplete: 'off' });
  if (type === 'text') field.dir = 'ltr';
  return field;
}

function labelled(format: LiveFormat, key: string, control: HTMLElement, className?: string): HTMLLabelElement {
  const label = el('label', undefined, className);
  if (className === 'check') label.append(control, ' ', format.text(key));
  else label.append(format.text(key), control);
  return label;
}

/** A radio per disk: usable ones can be picked; refused ones say why (translated, then the tool's own line). */
function diskOptions(format: LiveFormat, disks: readonly DiskChoice[], group: string): HTMLElement {
  const list = el('ul', undefined, 'disks');
  for (const disk of disks) {
    const item = el('li');
    item.dataset.disk = disk.path;
    const radio = Object.assign(input(group, 'radio'), { value: disk.path, disabled: disk.refusals.length > 0 });
    const label = el('label', undefined, 'check');
    label.append(radio, ' ', ltr(el('code', disk.path)), ` ${disk.description}, ${formatSize(format.lang, disk.sizeBytes)}`);
    item.append(label);
    if (disk.refusals.length > 0) {
      item.dataset.refused = '';
      const reasons = el('ul', undefined, 'refusal');
      for (const refusal of disk.refusals) {
        const reason = el('li', format.text(`operate.refusal.${refusal.code}`));
        reason.append(' ', ltr(el('small', refusal.message)));
        reasons.append(reason);
      }
      item.append(reasons);
    }
    list.append(item);
  }
  return list;
}

/** The erase question the CLI asks too: path, model, size and serial. */
function eraseQuestion(format: LiveFormat, disk: DiskChoice): string {
  return format.fill('operate.disk.erase', { target: disk.path, model: disk.description, size: formatSize(format.lang, disk.sizeBytes), serial: disk.serial || '?' });
}

const refusalText = (format: LiveFormat, answer: Awaited<ReturnType<typeof fetchApiJson>>) =>
  (!answer.ok && answer.reason === 'unavailable' && answer.message) || format.text('live.invalid');

/** A positive whole number of MiB typed by the operator, or undefined (empty or not a number). */
const mebibytes = (text: string) => (/^\s*\d+\s*$/.test(text) && Number(text) > 0 ? `${Number(text)}M` : undefined);

export async function renderClone(format: LiveFormat, csrf: string): Promise<HTMLElement> {
  const box = el('section', undefined, 'clone');
  box.append(el('h3', format.text('operate.clone.title')), el('p', format.text('operate.clone.help')));
  const answer = await fetchApiJson('/operator/clone/targets', { timeoutMs: 30_000 });
  const list = answer.ok ? parseWith(CloneTargets, answer.json) : undefined;
  if (!list) return box.append(el('p', refusalText(format, answer), 'refusal')), box;
  if (list.neededBytes !== null) box.append(el('p', format.fill('operate.clone.needed', { size: formatSize(format.lang, list.neededBytes) }), 'needed'));

  const form = el('form');
  const disks = diskOptions(format, list.targets, 'target');
  const imageItem = el('li');
  const imageRadio = Object.assign(input('target', 'radio'), { value: '' });
  const imagePath = Object.assign(input('image'), { placeholder: '/media/usb/byzantium.img' });
  imageItem.append(labelled(format, 'operate.clone.image', imageRadio, 'check'), imagePath);
  disks.append(imageItem);
  const persist = Object.assign(input('persist', 'number'), { min: '0', inputMode: 'numeric' });
  const withState = input('withState', 'checkbox');
  const confirm = input('confirm', 'checkbox');
  const confirmText = el('span');
  const confirmLabel = el('label', undefined, 'check');
  confirmLabel.append(confirm, ' ', confirmText);
  const start = el('button', format.text('operate.clone.start'));
  const job = el('div', undefined, 'job');
  job.hidden = true;
  const result = el('p', undefined, 'result');
  result.setAttribute('role', 'status');

  const chosen = (): { path: string; disk?: DiskChoice } | undefined => {
    const picked = form.querySelector<HTMLInputElement>('input[name=target]:checked');
    if (!picked) return undefined;
    if (picked === imageRadio) return imagePath.value.trim() ? { path: imagePath.value.trim() } : undefined;
    const disk = list.targets.find((t) => t.path === picked.value);
    return disk && { path: disk.path, disk };
  };
  const refresh = () => {
    const target = chosen();
    confirmText.textContent = target?.disk ? eraseQuestion(format, target.disk) : format.fill('operate.clone.confirmImage', { target: target?.path ?? '…' });
    start.disabled = !(target && confirm.checked);
  };
  form.addEventListener('input', (event) => {
    if (event.target !== confirm) confirm.checked = false; // a changed choice is confirmed again
    if (event.target === imagePath) imageRadio.checked = true;
    refresh();
  });
  refresh();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = chosen();
    if (!target || !confirm.checked) return;
    start.disabled = true;
    result.textContent = '';
    const size = mebibytes(persist.value);
    const args = ['--to', target.path, '--yes', ...(size ? ['--persist', size] : []), ...(withState.checked ? ['--with-state'] : [])];
    const outcome = await showJob(job, operatorPost('/operator/jobs', { kind: 'clone', args }, csrf), format);
    // byz clone succeeds only after reading the whole target back against its manifest.
    if ('state' in outcome) {
      result.dataset.result = outcome.state;
      result.textContent = format.text(outcome.state === 'succeeded' ? 'operate.clone.verified' : 'operate.clone.failed');
    }
    confirm.checked = false;
    refresh();
  });
  form.append(disks, labelled(format, 'operate.clone.persist', persist), labelled(format, 'operate.clone.withState', withState, 'check'), confirmLabel, start);
  box.append(form, job, result);
  return box;
}

function describePersistence(format: LiveFormat, info: PersistInfo): string {
  if (info.kind === 'none') return format.text('operate.persist.none');
  const parts = [format.fill('operate.persist.saved', { where: info.where ?? '?', filesystem: info.filesystem ?? '?' })];
  if (info.encrypted) parts.push(format.text('operate.persist.encrypted'));
  if (info.totalBytes !== null && info.freeBytes !== null) {
    parts.push(format.fill('operate.persist.space', { free: formatSize(format.lang, info.freeBytes), total: formatSize(format.lang, info.totalBytes) }));
  }
  return parts.join(' ');
}

export async function renderPersist(format: LiveFormat, csrf: string): Promise<HTMLElement> {
  const box = el('section', undefined, 'persist');
  box.append(el('h3', format.text('operate.persist.title')));
  const answer = await fetchApiJson('/operator/persist', { timeoutMs: 30_000 });
  const info = answer.ok ? parseWith(PersistInfo, answer.json) : undefined;
  if (!info) return box.append(el('p', refusalText(format, answer), 'refusal')), box;
  box.append(el('p', describePersistence(format, info), 'status'), el('p', format.text('operate.persist.help')));

  const form = el('form');
  const where = diskOptions(format, info.partitions, 'where');
  const fileItem = el('li');
  const fileRadio = Object.assign(input('where', 'radio'), { value: '', checked: true });
  const filePath = Object.assign(input('file'), { placeholder: '/mnt/sdb1/porteus/changes/byzantium.dat' });
  const size = Object.assign(input('size', 'number'), { min: '1', inputMode: 'numeric' });
  fileItem.append(labelled(format, 'operate.persist.saveFile', fileRadio, 'check'), labelled(format, 'operate.persist.file', filePath), labelled(format, 'operate.persist.size', size));
  where.prepend(fileItem);
  const encrypt = input('encrypt', 'checkbox');
  const passphrase = input('passphrase', 'password');
  const again = input('again', 'password');
  const secret = el('div', undefined, 'secret');
  secret.append(labelled(format, 'operate.persist.passphrase', passphrase), labelled(format, 'operate.persist.again', again));
  const confirm = input('confirm', 'checkbox');
  const confirmText = el('span');
  const confirmLabel = el('label', undefined, 'check');
  confirmLabel.append(confirm, ' ', confirmText);
  const problem = el('p', undefined, 'problem');
  problem.setAttribute('role', 'status');
  const start = el('button', format.text('operate.persist.start'));
  const job = el('div', undefined, 'job');
  job.hidden = true;

  const partition = () => info.partitions.find((p) => p.path === form.querySelector<HTMLInputElement>('input[name=where]:checked')?.value);
  const refresh = () => {
    const disk = partition();
    secret.hidden = !encrypt.checked;
    confirmLabel.hidden = !disk;
    if (disk) confirmText.textContent = eraseQuestion(format, disk);
    const mismatch = encrypt.checked && again.value !== '' && passphrase.value !== again.value;
    problem.textContent = mismatch ? format.text('operate.persist.mismatch') : '';
    const ready = disk ? confirm.checked : mebibytes(size.value) !== undefined;
    start.disabled = !ready || (encrypt.checked && (passphrase.value === '' || passphrase.value !== again.value));
  };
  form.addEventListener('input', (event) => {
    // A changed choice is confirmed again; typing the passphrase changes no choice.
    if (![confirm, passphrase, again].includes(event.target as HTMLInputElement)) confirm.checked = false;
    if (event.target === filePath || event.target === size) fileRadio.checked = true;
    refresh();
  });
  refresh();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    refresh();
    if (start.disabled) return;
    start.disabled = true;
    const disk = partition();
    const file = filePath.value.trim();
    const args = ['create', ...(disk ? ['--partition', disk.path, '--yes'] : ['--size', mebibytes(size.value)!, ...(file ? ['--file', file] : [])])];
    const body = encrypt.checked ? { kind: 'persist', args: [...args, '--encrypt'], passphrase: passphrase.value } : { kind: 'persist', args };
    // The passphrase leaves the form once it is sent: nothing keeps it on the page.
    passphrase.value = again.value = '';
    confirm.checked = false;
    const outcome = await showJob(job, operatorPost('/operator/jobs', body, csrf), format);
    if ('state' in outcome && outcome.state === 'succeeded') {
      const now = await fetchApiJson('/operator/persist');
      const fresh = now.ok ? parseWith(PersistInfo, now.json) : undefined;
      if (fresh) box.querySelector('.status')!.textContent = describePersistence(format, fresh);
    }
    refresh();
  });
  form.append(where, labelled(format, 'operate.persist.encrypt', encrypt, 'check'), secret, problem, confirmLabel, start);
  box.append(form, job);
  return box;
}
