// The reference for `npm run bench`: the same book built with stock
// Starlight — no component overrides, no route middleware, Expressive Code on.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  srcDir: './',
  outDir: './dist-stock',
  trailingSlash: 'always',
  integrations: [
    starlight({
      title: 'Byzantium',
      defaultLocale: 'root',
      locales: {
        root: { label: 'English', lang: 'en' },
        ar: { label: 'العربية', lang: 'ar', dir: 'rtl' },
        fa: { label: 'فارسی', lang: 'fa', dir: 'rtl' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      sidebar: ['start', 'setup', 'services', 'long-links', 'keeping', 'security', 'reference'].map((directory) => ({
        label: directory,
        items: [{ autogenerate: { directory } }],
      })),
    }),
  ],
});
