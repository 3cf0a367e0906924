/** Polling helpers for the lab's tests and benchmark: wait for a route, read a node's routes. */
import { run } from '../common/run.ts';
import { parseIpRoute, type Route } from '../observe/ip-route.ts';
import { nodeNetns } from './names.ts';

export async function routesOf(node: string): Promise<Route[]> {
  return parseIpRoute(await run({ netns: nodeNetns(node) }, ['ip', '-j', '-4', 'route', 'show']));
}

/** Polls until `test` holds for `node`'s routes; returns them, or throws after `timeoutMs`. */
export async function waitForRoutes(node: string, test: (routes: Route[]) => boolean, timeoutMs = 60_000): Promise<Route[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const routes = await routesOf(node);
    if (test(routes)) return routes;
    if (Date.now() > deadline) throw new Error(`${node}: routes did not settle in ${timeoutMs / 1000} s: ${JSON.stringify(routes)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
