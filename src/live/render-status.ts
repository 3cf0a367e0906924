import { NodeSummary } from '../../tools/contract/schemas.ts';
import type { LiveFormat } from './format.ts';
import { el, type LiveViewCode } from './live-element.ts';
import { parseWith } from './parse.ts';

export function renderNodeStatus(view: HTMLElement, node: NodeSummary, format: LiveFormat): void {
  const list = el('dl');
  const row = (label: string, value: string, ltr = false) => {
    const item = el('div');
    const dd = el('dd', value);
    // Addresses and version numbers read left to right in every language.
    if (ltr) dd.dir = 'ltr';
    item.append(el('dt', format.text(label)), dd);
    list.append(item);
  };
  row('live.status.name', node.name);
  row('live.status.address', node.meshAddress ?? format.text('live.status.noAddress'), node.meshAddress !== null);
  row('live.status.uptime', format.duration(node.uptimeSeconds));
  row('live.status.version', node.version, true);
  view.append(list);
}

/** GET /node. */
export const nodeStatusCode: LiveViewCode<NodeSummary> = {
  parse: ([node]) => parseWith(NodeSummary, node),
  render: renderNodeStatus,
};
