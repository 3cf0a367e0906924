import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { uiStringsLoader } from './src/ui-strings-loader.ts';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  // UI strings live with the translators' other files in i18n/ui/.
  i18n: defineCollection({
    loader: uiStringsLoader(new URL('./i18n/ui/', import.meta.url)),
    schema: i18nSchema(),
  }),
};
