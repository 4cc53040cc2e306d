#!/usr/bin/env node
// npm run readme (after npm run build): writes the README's generated regions, each between
// <!-- NAME:start --> and <!-- NAME:end -->, from package.json, docs/engines.json and the built
// files: the CDN script tags pinned to the version with their Subresource Integrity hash (sha384
// of the file in dist/, which the CDN serves unchanged), the gzip sizes, the verified engines and
// where the published pages are (package.json's `homepage`). tests/node/docs.test.mjs checks that
// the README holds what this would write, so a change to dist/ without `npm run readme` fails it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../', import.meta.url));
const read = (path) => readFileSync(root + path);

export const CORE = 'dist/webrtc-close-shim.min.js';
export const EXTRAS = 'dist/webrtc-close-shim.extras.min.js';

/** The Subresource Integrity value of `path` (a built file). */
export const integrity = (path) => `sha384-${createHash('sha384').update(read(path)).digest('base64')}`;
/** gzip -9 size of `path` in bytes, as scripts/size.mjs measures it. */
export const gzipSize = (path) => gzipSync(read(path), { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The generated regions, by name. */
export function regions() {
  const { name, version, homepage } = JSON.parse(read('package.json'));
  const engines = JSON.parse(read('docs/engines.json'));
  const cdn = (path) => `https://cdn.jsdelivr.net/npm/${name}@${version}/${path}`;
  const tag = (path, attributes = '') =>
    `<script src="${cdn(path)}"\n        integrity="${integrity(path)}" crossorigin="anonymous"${attributes}></script>`;
  const site = homepage && homepage.replace(/\/?$/, '/');
  // The CHANGELOG says whether this version is out (a date) or not yet ("unreleased").
  const unreleased = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - unreleased$`, 'm').test(read('CHANGELOG.md').toString());
  const notYet = unreleased
    ? [
        `(The [CHANGELOG](CHANGELOG.md) lists ${version} as unreleased: until it is published, both lines above fail; from a clone,`,
        `\`npm ci && npm run build\`, then \`npm install <path to the clone>\` or serve \`${CORE}\` yourself.)`,
        '',
      ]
    : [];
  return {
    'script-tag': ['', '```html', tag(CORE), '```', '', ...notYet].join('\n'),
    'script-tag-extras': ['', '```html', tag(EXTRAS, '\n        data-stop-tracks-on-close data-settle-pending-on-close'), '```', ''].join(
      '\n',
    ),
    size: `${kB(gzipSize(CORE))} gzipped (the script tag; ${kB(gzipSize(EXTRAS))} with every extra)`,
    engines: `Chromium ${engines.chromium.split('.')[0]} (${engines.chromium}) and Firefox ESR ${engines.firefox}`,
    pages: [
      '',
      site
        ? `The [behaviour page](${site}demo/) and the [API reference](${site}api/) are published from \`main\` by`
        : 'The behaviour page (`demo/`) and the API reference (`api/`) are published from `main` by',
      "[`.github/workflows/pages.yml`](.github/workflows/pages.yml) on the repository's GitHub Pages site" +
        (site ? '.' : '; their addresses will be here once `package.json` has a `homepage`. Until then, run them locally:'),
      ...(site ? [] : ['`npm run demo` (the behaviour page) and `npm run docs` (the API reference, in `docs/api/`).']),
      '',
    ].join('\n'),
  };
}

/** `text` with every region replaced by what `regions()` gives; throws for a region it lacks. */
export function fill(text, given = regions()) {
  for (const [key, value] of Object.entries(given)) {
    const pattern = new RegExp(`(<!-- ${key}:start -->)[\\s\\S]*?(<!-- ${key}:end -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${key}:start --> … <!-- ${key}:end --> region`);
    text = text.replace(pattern, (_, start, end) => `${start}${value}${end}`);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = read('README.md').toString();
  const after = fill(before);
  if (after !== before) writeFileSync(root + 'README.md', after);
  console.log(`README.md: ${after !== before ? 'generated regions written' : 'unchanged'} (${Buffer.byteLength(after)} B)`);
}
