import { NeighbourList } from '../../tools/contract/schemas.ts';
import type { LiveFormat } from './format.ts';
import { linkQuality } from './link-quality.ts';
import { el, type LiveViewCode } from './live-element.ts';
import { parseWith } from './parse.ts';

export function renderNeighbours(view: HTMLElement, data: NeighbourList, format: LiveFormat): void {
  if (data.neighbours.length === 0) {
    view.append(el('p', format.text('live.neighbours.none')));
    return;
  }
  const table = el('table');
  const head = el('tr');
  for (const key of ['live.neighbours.address', 'live.neighbours.interface', 'live.neighbours.cost', 'live.neighbours.quality']) {
    const th = el('th', format.text(key));
    th.scope = 'col';
    head.append(th);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  const sorted = [...data.neighbours].sort((a, b) => a.cost - b.cost || a.address.localeCompare(b.address));
  for (const neighbour of sorted) {
    const quality = linkQuality(neighbour.cost);
    const row = el('tr');
    const address = el('td', neighbour.address, 'address');
    address.dir = 'ltr';
    const name = el('td', neighbour.interface);
    name.dir = 'ltr';
    const badge = el('td', format.text(`live.quality.${quality}`), `quality ${quality}`);
    row.append(address, name, el('td', format.integer(neighbour.cost), 'number'), badge);
    table.tBodies[0]!.append(row);
  }
  const scroller = el('div', undefined, 'scroller');
  scroller.append(table);
  view.append(scroller);
}

/** GET /neighbours. */
export const neighboursCode: LiveViewCode<NeighbourList> = {
  parse: ([list]) => parseWith(NeighbourList, list),
  render: renderNeighbours,
};
