import { fetchApiJson } from './api.ts';
import { liveFormat, type LiveFormat } from './format.ts';

/** A view's code, loaded only once the node has answered: a parser that checks the answers against the contract, and a renderer. */
export interface LiveViewCode<T> {
  /** The answers in the order of the paths asked; undefined when any breaks the contract. */
  parse(answers: readonly unknown[]): T | undefined;
  render(view: HTMLElement, data: T, format: LiveFormat): void;
}

/**
 * A read-only live view: asks the node, then draws the answer into the
 * element's [data-view], or says in the reader's language why there is
 * nothing to show. The validator and renderer load only after the node has
 * answered, so a copy of the book that no node serves downloads neither.
 * Refreshes on the button and every 15 seconds while the page is visible.
 * Renderers build DOM nodes and set textContent only.
 */
export function defineLiveView<T>(tag: string, paths: readonly string[], loadCode: () => Promise<LiveViewCode<T>>): void {
  if (customElements.get(tag)) return;
  customElements.define(
    tag,
    class extends HTMLElement {
      #timer: ReturnType<typeof setInterval> | undefined;

      connectedCallback() {
        const format = liveFormat(this.dataset.lang ?? document.documentElement.lang, JSON.parse(this.dataset.strings ?? '{}'));
        const state = this.querySelector<HTMLElement>('[data-state-text]')!;
        const view = this.querySelector<HTMLElement>('[data-view]')!;
        const refresh = this.querySelector<HTMLButtonElement>('[data-refresh]')!;
        const updated = this.querySelector<HTMLElement>('[data-updated]')!;
        let busy = false;
        // Hidden in the HTML so that a browser without JavaScript shows only the <noscript> explanation.
        state.hidden = false;

        const update = async () => {
          if (busy) return;
          busy = true;
          refresh.disabled = true;
          const result = await this.#ask(paths, loadCode);
          busy = false;
          refresh.disabled = false;
          this.dataset.state = result.ok ? 'ok' : result.reason;
          if (!result.ok) {
            state.textContent = format.text(`live.${result.reason}`);
            state.hidden = false;
            view.hidden = true;
            // With no node there is nothing to refresh from; with a sick one, trying again helps.
            refresh.hidden = result.reason === 'absent';
            if (result.reason === 'absent') this.#stop();
            return;
          }
          const fresh = document.createElement('div');
          result.code.render(fresh, result.data, format);
          view.replaceChildren(...fresh.childNodes);
          view.hidden = false;
          state.hidden = true;
          refresh.hidden = false;
          updated.textContent = format.fill('live.updated', { time: format.time(new Date()) });
        };

        refresh.addEventListener('click', () => void update());
        this.#timer = setInterval(() => {
          if (document.visibilityState === 'visible') void update();
        }, 15_000);
        void update();
      }

      async #ask(
        paths: readonly string[],
        load: () => Promise<LiveViewCode<T>>,
      ): Promise<{ ok: true; data: T; code: LiveViewCode<T> } | { ok: false; reason: 'absent' | 'unavailable' | 'invalid' }> {
        const answers = await Promise.all(paths.map((path) => fetchApiJson(path)));
        for (const reason of ['absent', 'unavailable'] as const) {
          if (answers.some((answer) => !answer.ok && answer.reason === reason)) return { ok: false, reason };
        }
        // The view's code comes over the mesh too; if it does not arrive, say so and let the reader retry.
        const code = await load().catch(() => undefined);
        if (!code) return { ok: false, reason: 'unavailable' };
        const data = code.parse(answers.map((answer) => (answer.ok ? answer.json : undefined)));
        return data === undefined ? { ok: false, reason: 'invalid' } : { ok: true, data, code };
      }

      disconnectedCallback() {
        this.#stop();
      }

      #stop() {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    },
  );
}

/** A small helper for renderers: an element with text, never HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(name: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(name);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** A view that does more than read: it gets the node's summary and then runs on its own (the guided setup, the operator's controls). */
export interface NodeViewCode {
  start(view: HTMLElement, context: { node: unknown; format: LiveFormat }): Promise<void>;
}

/**
 * The entry of an interactive view: asks GET /node first; with no node (or
 * no answer) it shows one explanation in the reader's language (`absentKey`)
 * and loads nothing more, so the manual steps around it are the page. Once
 * the node answers, the view's code is loaded and takes over [data-view].
 */
export function defineNodeView(tag: string, absentKey: string, loadCode: () => Promise<NodeViewCode>): void {
  if (customElements.get(tag)) return;
  customElements.define(
    tag,
    class extends HTMLElement {
      connectedCallback() {
        const format = liveFormat(this.dataset.lang ?? document.documentElement.lang, JSON.parse(this.dataset.strings ?? '{}'));
        const state = this.querySelector<HTMLElement>('[data-state-text]')!;
        const view = this.querySelector<HTMLElement>('[data-view]')!;
        const retry = this.querySelector<HTMLButtonElement>('[data-refresh]')!;
        state.hidden = false;
        const show = (reason: 'absent' | 'unavailable') => {
          this.dataset.state = reason;
          state.textContent = format.text(reason === 'absent' ? absentKey : 'live.unavailable');
          state.hidden = false;
          retry.hidden = reason === 'absent';
          retry.disabled = false;
        };
        const begin = async () => {
          retry.disabled = true;
          const answer = await fetchApiJson('/node');
          if (!answer.ok) return show(answer.reason === 'absent' ? 'absent' : 'unavailable');
          const code = await loadCode().catch(() => undefined);
          if (!code) return show('unavailable');
          state.hidden = true;
          retry.hidden = true;
          view.hidden = false;
          view.replaceChildren();
          // "ok" once the view is drawn (and its role known), not before:
          // scripts and tests that wait for the state then see a whole view.
          await code.start(view, { node: answer.json, format });
          this.dataset.state = 'ok';
        };
        retry.addEventListener('click', () => void begin());
        void begin();
      }
    },
  );
}
