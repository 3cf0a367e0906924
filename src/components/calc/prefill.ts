/**
 * Offers to fill a calculator from the node that serves the page: the radio's
 * frequency, channel and transmit power, and (where the calculator lets the
 * reader choose a neighbour) the signal this node hears from it. Loaded only
 * after the node answered GET /api/v1/radio; the answer is checked against
 * the contract's schema and reaches the page as text and field values only.
 */
import * as v from 'valibot';
import { RadioReport, type RadioInterface, type RadioStation } from '../../../tools/contract/schemas.ts';
import type { Format } from './format.ts';

interface Choice {
  radio: RadioInterface;
  station: RadioStation | undefined;
}

const signalOf = (station: RadioStation) => station.averageSignalDbm ?? station.signalDbm;

/**
 * A UI string with its {slots} filled, each value isolated (U+2068…U+2069) so
 * an address keeps its order inside right-to-left text. A function replacer:
 * a "$" in a value is only a "$".
 */
const isolate = (text: string) => `\u2068${text}\u2069`;
const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (slot, name: string) => (values[name] === undefined ? slot : isolate(values[name])));

/** Sets a field the calculator has, if it has it and (for a select) offers the value. */
function setField(form: HTMLFormElement, name: string, value: string): void {
  const field = form.elements.namedItem(name);
  if (field instanceof HTMLInputElement) field.value = value;
  else if (field instanceof HTMLSelectElement && [...field.options].some((option) => option.value === value)) field.value = value;
}

export function offerPrefill(host: HTMLElement, answer: unknown, format: Format, recompute: () => void): void {
  const parsed = v.safeParse(RadioReport, answer);
  const box = host.querySelector<HTMLElement>('[data-prefill]');
  const form = host.querySelector('form');
  if (!parsed.success || !box || !form) return;
  const radios = parsed.output.radios.filter((radio) => radio.frequencyMHz !== null);
  if (radios.length === 0) return;

  const select = box.querySelector<HTMLSelectElement>('select[data-station]');
  const choices: Choice[] = radios.flatMap((radio): Choice[] => {
    const heard = radio.stations.filter((station) => signalOf(station) !== null);
    return heard.length > 0 && select ? heard.map((station) => ({ radio, station })) : [{ radio, station: undefined }];
  });
  if (select && choices.some((choice) => choice.station)) {
    select.replaceChildren(
      ...choices.map((choice, index) => {
        const option = document.createElement('option');
        option.value = String(index);
        const { station, radio } = choice;
        option.textContent = station ? `${isolate(station.neighbour)} · ${isolate(format.unit(signalOf(station)!, 'dbm', 0))}` : radio.interface;
        return option;
      }),
    );
    select.closest<HTMLElement>('[data-station-field]')!.hidden = false;
  }

  const note = box.querySelector<HTMLElement>('[data-prefill-note]')!;
  box.querySelector('[data-fill]')!.addEventListener('click', () => {
    const { radio, station } = choices[select ? Number(select.value) || 0 : 0] ?? choices[0]!;
    setField(form, 'frequency', String(radio.frequencyMHz));
    if (radio.txPowerDbm !== null) setField(form, 'txPower', String(radio.txPowerDbm));
    if (radio.channel !== null) setField(form, 'channel', `${radio.frequencyMHz! < 3000 ? '2.4' : '5'}:${radio.channel}`);
    let text = fill(format.text('calc.prefill.done'), { interface: radio.interface });
    if (station) text += ' ' + fill(format.text('calc.prefill.measured'), { neighbour: station.neighbour, signal: format.unit(signalOf(station)!, 'dbm', 0) });
    note.textContent = text;
    recompute();
  });
  box.hidden = false;
}
