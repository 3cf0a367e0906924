import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { uiStringsLoader } from './src/ui-strings-loader.ts';
import { calcStringsSchema } from './src/components/calc/strings.ts';
import { liveStringsSchema } from './src/components/live/strings.ts';
import { guidedStringsSchema } from './src/components/guided/strings.ts';

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    // A translation records the English page's commit it was made from (npm run i18n:status compares against it).
    schema: docsSchema({ extend: z.object({ translatedFrom: z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit (7 to 40 hex digits)').optional() }) }),
  }),
  // UI strings live with the translators' other files in i18n/ui/.
  i18n: defineCollection({
    loader: uiStringsLoader(new URL('./i18n/ui/', import.meta.url)),
    schema: i18nSchema({ extend: z.object({ ...calcStringsSchema.shape, ...liveStringsSchema.shape, ...guidedStringsSchema.shape }) }),
  }),
  // One short definition per file: i18n/glossary/<lang>/<term-slug>.md.
  // The file name is the term's anchor on the glossary page in every language.
  glossary: defineCollection({
    loader: glob({ base: './i18n/glossary', pattern: '*/*.md' }),
    schema: z.object({ term: z.string(), see: z.string().optional() }),
  }),
};
