/**
 * A long job on the page: what the tool is doing now (its own words, as
 * text), a progress bar when it counts, and how it ended. Fed by the
 * agent's server-sent events through followJob().
 */
import { Job } from '../../tools/contract/schemas.ts';
import { followJob, type ApiAnswer } from '../live/api.ts';
import { el } from '../live/live-element.ts';
import type { LiveFormat } from '../live/format.ts';
import { parseWith } from '../live/parse.ts';

export type JobOutcome = Job | { refused: string };

/** Shows a job started by `started` in `box` until it ends; resolves with the last state (or the refusal). */
export async function showJob(box: HTMLElement, started: Promise<ApiAnswer>, format: LiveFormat): Promise<JobOutcome> {
  const message = el('p', format.text('live.loading'), 'job-message');
  message.setAttribute('role', 'status');
  const bar = el('progress');
  bar.hidden = true;
  const log = el('pre', undefined, 'job-log');
  log.dir = 'ltr';
  log.hidden = true;
  box.replaceChildren(message, bar, log);
  box.hidden = false;
  const answer = await started;
  const first = answer.ok ? parseWith(Job, answer.json) : undefined;
  if (!first) {
    const reason = (!answer.ok && answer.reason === 'unavailable' && answer.message) || format.text('live.invalid');
    message.textContent = reason;
    box.dataset.job = 'refused';
    return { refused: reason };
  }
  return new Promise((resolve) => {
    const draw = (job: Job) => {
      box.dataset.job = job.state;
      const { done, total } = job.progress;
      const counts = done !== null && total !== null && total > 0;
      bar.hidden = !counts;
      if (counts) {
        bar.max = total;
        bar.value = Math.min(done, total);
      }
      const percent = counts ? ` (${new Intl.NumberFormat(format.lang, { style: 'percent' }).format(Math.min(done / total, 1))})` : '';
      const word = format.fill(`guided.job.${job.state}`, { code: format.integer(job.exitCode ?? 0) });
      message.textContent = `${word}: ${job.progress.message}${percent}`;
      log.textContent = job.log.join('\n');
      log.hidden = job.log.length === 0;
      if (job.state !== 'running') resolve(job);
      return job.state !== 'running';
    };
    draw(first);
    if (first.state === 'running') followJob(first.id, (json) => {
      const job = parseWith(Job, json);
      return job ? draw(job) : false;
    });
  });
}
