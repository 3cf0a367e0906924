import { makeFormat, type CalcViewFunction } from './format.ts';

/**
 * Turns a server-rendered calculator (a form, outputs marked `data-out`, a
 * verdict and an error line) into a live one: every keystroke recomputes.
 * The server already rendered the results for the default values, so the
 * page is useful before, and without, this script. Everything is written
 * with textContent.
 */
export function defineCalculator(tag: string, view: CalcViewFunction): void {
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

        const update = () => {
          const fields: Record<string, string> = {};
          for (const [name, value] of new FormData(form)) fields[name] = String(value);
          const result = view(fields, format);
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
          if (verdict && result.view.verdict) {
            verdict.textContent = result.view.verdict.text;
            verdict.hidden = false;
            verdict.dataset.tone = result.view.verdict.tone;
          }
        };

        form.addEventListener('input', update);
        form.addEventListener('change', update);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          update();
        });
        update();
      }
    },
  );
}
