/**
 * The node's front page ("/"): in the reader's language, the services found
 * on the mesh and a link into the book. Plain HTML with no script; every value
 * that came from a service definition or another node goes in as escaped
 * text, and links only ever carry URLs the contract already limited to
 * http and https.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DirectoryEntry, Service } from '../contract/schemas.ts';
import { COMMON_SECURITY_HEADERS, pagePolicy } from './csp.ts';
import { escapeHtml } from './escape-html.ts';
import { FRONT_PAGE_LOCALES, FRONT_PAGE_STRINGS, pickLocale, type FrontPageLocale } from './front-page-strings.ts';

export interface FrontPageData {
  name: string;
  directory: { entries(local: Service[]): DirectoryEntry[] };
  localServices: () => Service[];
  /** Whether the built book has a page at this site path. */
  siteHas: (path: string) => boolean;
}

export function frontPageHtml(locale: FrontPageLocale, data: FrontPageData): string {
  const t = FRONT_PAGE_STRINGS[locale];
  const entries = data.directory.entries(data.localServices());
  const items = entries
    .map((entry) => {
      const where = entry.local ? t.thisNode : t.onNode(entry.node);
      return `<li><a href="${escapeHtml(entry.url)}" rel="noreferrer">${escapeHtml(entry.name)}</a> <span class="where">${escapeHtml(where)}</span>${
        entry.running ? '' : ` <span class="where">${escapeHtml(t.stopped)}</span>`
      }${entry.description ? `<br>${escapeHtml(entry.description)}` : ''}</li>`;
    })
    .join('\n');
  const bookPath = data.siteHas(t.bookPath) ? t.bookPath : '/index.html';
  const languages = FRONT_PAGE_LOCALES.map((code) =>
    code === locale
      ? `<strong lang="${FRONT_PAGE_STRINGS[code].lang}">${escapeHtml(FRONT_PAGE_STRINGS[code].label)}</strong>`
      : `<a href="/?lang=${code}" lang="${FRONT_PAGE_STRINGS[code].lang}" hreflang="${FRONT_PAGE_STRINGS[code].lang}">${escapeHtml(FRONT_PAGE_STRINGS[code].label)}</a>`,
  ).join(' · ');
  const title = escapeHtml(t.title(data.name));
  return `<!doctype html>
<html lang="${t.lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
body{font:1.05rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#111;background:#fff}
@media (prefers-color-scheme:dark){body{color:#eee;background:#111}a{color:#8cf}}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-block-start:1.5rem}
ul{padding-inline-start:1.2rem}li{margin-block-end:.6rem}.where{opacity:.75}
.book{display:block;padding:.8rem 1rem;border:2px solid currentColor;border-radius:.5rem;text-decoration:none;font-weight:600}
nav{margin-block-start:2rem;font-size:.95rem}nav a,nav strong{display:inline-block;padding:.6rem .4rem}
</style>
</head>
<body>
<h1>${title}</h1>
<p>${escapeHtml(t.intro)}</p>
<a class="book" href="${bookPath}">${escapeHtml(t.book)}</a>
<p>${escapeHtml(t.bookIntro)}</p>
<h2>${escapeHtml(t.servicesHeading)}</h2>
${entries.length ? `<ul>\n${items}\n</ul>` : `<p>${escapeHtml(t.noServices)}</p>`}
<nav aria-label="${escapeHtml(t.languages)}">${languages}</nav>
</body>
</html>
`;
}

export function renderFrontPage(req: IncomingMessage, res: ServerResponse, query: string, data: FrontPageData): void {
  const locale = pickLocale(query, req.headers['accept-language']);
  const html = frontPageHtml(locale, data);
  res.writeHead(200, {
    ...COMMON_SECURITY_HEADERS,
    'Content-Security-Policy': pagePolicy([]),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Language': FRONT_PAGE_STRINGS[locale].lang,
    'Cache-Control': 'no-cache',
    Vary: 'Accept-Language',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}
