import { fetchApiJson } from '../../live/api.ts';
import { makeFormat, type CalcViewFunction } from './format.ts';

/**
 * The node's radio, asked once per page for every calculator, and only over
 * HTTP: a page opened from a file has no node behind it. Anything but a
 * JSON answer (the published book's 404, no answer) means "no node".
 */
let radio: Promise<unknown> | undefined;
const askRadio = () =>
  (radio ??= /^https?:$/.test(location.protocol)
    ? fetchApiJson('/radio', { timeoutMs: 5000 }).then((answer) => (answer.ok ? answer.json : undefined))
    : Promise.resolve(undefined));

/**
 * Turns a server-rendered calculator (a form, outputs marked `data-out`, a
 * verdict and an error line) into a live one. The server already rendered
 * the results for the example values, so the page is complete without this
 * script; the calculator's own code (its formulas and views) loads only when
 * the reader first touches the form, so readers who only read pay a few
 * hundred bytes. Everything is written with textContent.
 */
export function defineCalculator(tag: string, loadView: () => Promise<CalcViewFunction>): void {
  if (customElements.get(tag)) return;
  customElements.define(
    tag,
    class extends HTMLElement {
      connectedCallback() {
        const form = this.querySelector('form');
        if (!form) return;
        const format = makeFormat(this.dataset.lang ?? document.documentElement.lang, JSON.parse(this.dataset.strings ?? '{}'));
        const error = this.querySelector<HTMLElement>('[data-error]')!;
        const verdict = this.querySelector<HTMLElement>('[data-verdict]');
        let view: Promise<CalcViewFunction> | undefined;
        // A failed download (a flaky mesh) is forgotten, so the next keystroke tries again.
        const load = () => (view ??= loadView().catch((error: unknown) => {
          view = undefined;
          throw error;
        }));

        const update = async () => {
          const compute = await load();
          const fields: Record<string, string> = {};
          for (const [name, value] of new FormData(form)) fields[name] = String(value);
          const result = compute(fields, format);
          for (const input of form.querySelectorAll('[aria-invalid]')) {
            input.removeAttribute('aria-invalid');
            input.removeAttribute('aria-errormessage');
          }
          if (!result.ok) {
            this.dataset.state = 'error';
            error.textContent = result.message;
            const field = form.elements.namedItem(result.field);
            if (field instanceof HTMLElement) {
              field.setAttribute('aria-invalid', 'true');
              field.setAttribute('aria-errormessage', error.id);
            }
            return;
          }
          this.dataset.state = 'ok';
          error.textContent = '';
          for (const [id, text] of Object.entries(result.view.outputs)) {
            const output = this.querySelector(`[data-out="${id}"]`);
            if (output) output.textContent = text;
          }
          for (const [name, attributes] of Object.entries(result.view.shapes ?? {})) {
            const shape = this.querySelector(`[data-shape="${name}"]`);
            for (const [attribute, value] of Object.entries(attributes)) shape?.setAttribute(attribute, value);
          }
          if (verdict && result.view.verdict) {
            verdict.textContent = result.view.verdict.text;
            verdict.dataset.tone = result.view.verdict.tone;
            verdict.hidden = false;
          }
        };

        // Start fetching the code as soon as the reader steps into the form, before the first keystroke.
        const run = () => void update().catch(() => undefined);
        form.addEventListener('focusin', () => void load().catch(() => undefined), { once: true });
        form.addEventListener('input', run);
        form.addEventListener('change', run);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          run();
        });
        this.dataset.state = 'ready';

        // "Fill from this node" appears only if the node answered; its code (and the validator) loads only then.
        if (this.querySelector('[data-prefill]')) {
          void askRadio()
            .then(async (answer) => answer !== undefined && (await import('./prefill.ts')).offerPrefill(this, answer, format, run))
            .catch(() => undefined);
        }
      }
    },
  );
}
