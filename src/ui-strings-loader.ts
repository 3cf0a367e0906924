import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';

/**
 * Loads Starlight's UI strings from i18n/ui/<lang>.json, where translators
 * keep everything that is not a page. Starlight keys UI strings by the entry's
 * file path relative to content/i18n/, so entries are stored without a file
 * path: their id (the BCP-47 tag in the file name) is then used as the key.
 */
export function uiStringsLoader(dir: URL): Loader {
  return {
    name: 'byzantium-ui-strings',
    async load({ store, parseData, watcher }) {
      const path = fileURLToPath(dir);
      const sync = async () => {
        store.clear();
        for (const file of (await readdir(path)).filter((f) => f.endsWith('.json')).sort()) {
          const id = file.slice(0, -'.json'.length);
          const raw = JSON.parse(await readFile(new URL(file, dir), 'utf8'));
          store.set({ id, data: await parseData({ id, data: raw }) });
        }
      };
      await sync();
      watcher?.on('change', (changed) => {
        if (changed.startsWith(path)) void sync();
      });
    },
  };
}
