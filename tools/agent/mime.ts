/** Content types of every kind of file the book's build emits (Astro, Starlight, Pagefind). */
const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
  // Pagefind's index files are gzip-compressed binary data it decodes itself;
  // its wasm.<lang>.pagefind files are compressed WebAssembly, fetched as bytes.
  pf_fragment: 'application/octet-stream',
  pf_index: 'application/octet-stream',
  pf_meta: 'application/octet-stream',
  pagefind: 'application/octet-stream',
  img: 'application/octet-stream',
  iso: 'application/octet-stream',
  zip: 'application/zip',
  gz: 'application/gzip',
};

export function contentTypeOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && types[fileName.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

/** Worth compressing: text formats (already-compressed formats such as Pagefind's or images are not). */
export function isCompressible(fileName: string): boolean {
  return /\.(html|css|js|mjs|json|map|webmanifest|xml|txt|svg|wasm|ttf|otf|ico)$/i.test(fileName);
}
