// `npm run i18n:status [-- --json] [-- --locale ar]`: for translators, what is
// left to do in each language, most important pages first. Reads
// i18n/status.config.json. Exit code 0 always: this is a report, not a check.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { translationStatus } from './lib/translation-status.mjs';

let values;
try {
  ({ values } = parseArgs({ options: { json: { type: 'boolean' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  console.error(`i18n:status: ${error.message}`);
  process.exit(2);
}
if (values.help) {
  console.log('Usage: npm run i18n:status [-- --locale ar|fa|zh-cn] [-- --json]');
  process.exit(0);
}
const config = JSON.parse(readFileSync('i18n/status.config.json', 'utf8'));
if (values.locale && !(values.locale in config.locales)) {
  console.error(`i18n:status: unknown locale "${values.locale}" (known: ${Object.keys(config.locales).join(', ')})`);
  process.exit(2);
}
const report = translationStatus('.', config).filter((r) => !values.locale || r.locale === values.locale);
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const r of report) {
    const pct = Math.round((100 * r.pages.translated) / Math.max(1, r.pages.total));
    console.log(`\n${r.locale}: ${r.pages.translated}/${r.pages.total} pages (${pct} %), ${r.pages.outdated.length} outdated; UI strings missing ${r.uiStrings.missing.length}/${r.uiStrings.total}; glossary terms missing ${r.glossary.missing.length}/${r.glossary.total}`);
    for (const slug of r.pages.outdated) {
      const { english, from, now } = r.pages.outdatedDetails[slug];
      const what = from ? `English changed since ${from}: git diff ${from} -- ${english}` : `English committed after the translation (no translatedFrom: recorded)`;
      console.log(`  outdated ${slug}: ${what}${now ? `; when done, set translatedFrom: '${now}'` : ''}`);
    }
    if (r.pages.missing.length) console.log(`  next to translate: ${r.pages.missing.slice(0, 8).join(', ')}${r.pages.missing.length > 8 ? ', …' : ''}`);
    if (r.uiStrings.missing.length) console.log(`  UI strings missing: ${r.uiStrings.missing.slice(0, 8).join(', ')}${r.uiStrings.missing.length > 8 ? ', …' : ''}`);
  }
}
