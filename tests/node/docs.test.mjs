// The docs hold (issue #29, item 3): every relative link and #anchor in the README, docs/*.md and
// the CHANGELOG resolves (anchors by GitHub's heading slugs); the README stays a landing page of at
// most 10,000 bytes whose generated parts (npm run readme: the CDN tags' integrity hashes, sizes,
// engines, published pages) are what dist/, package.json and docs/engines.json give now; engine
// versions come from docs/engines.json; the CHANGELOG's version is package.json's.
// Uses dist/ as it is (npm test builds it first).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CORE, EXTRAS, fill } from '../../scripts/readme.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path) => readFileSync(join(root, path), 'utf8');
const DOCS = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const pkg = JSON.parse(read('package.json'));
const engines = JSON.parse(read('docs/engines.json'));

/** Markdown without fenced code blocks and code spans, where a link is no link. */
const prose = (text) => text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchors for the headings of `text`: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(text) {
  const seen = new Map();
  const result = new Set();
  for (const [, heading] of text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const rendered = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
      .replace(/<[^>]+>/g, '') // HTML tags
      .replace(/[`*_~]/g, (c) => (c === '_' ? '_' : '')); // code and emphasis marks
    const slug = rendered
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n ? `${slug}-${n}` : slug);
  }
  // Explicit anchors: <a id="…"> or name="…".
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) result.add(id);
  return result;
}

/** The relative links of a Markdown file: [text](target) and [label]: target, outside code. */
function links(text) {
  const found = [];
  const body = prose(text);
  for (const [, target] of body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(target);
  for (const [, target] of body.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)) found.push(target);
  for (const [, target] of body.matchAll(/<a\s[^>]*href="([^"]+)"/g)) found.push(target);
  return found.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//'));
}

test('every relative link and #anchor in the README, docs/*.md and the CHANGELOG resolves', () => {
  const broken = [];
  for (const file of DOCS) {
    for (const target of links(read(file))) {
      const [path, anchor] = target.split('#');
      const resolved = path ? resolve(dirname(join(root, file)), decodeURIComponent(path.split('?')[0])) : join(root, file);
      // Outside the repository (../../../issues/new on GitHub): not a file of it, not checked here.
      if (relative(root, resolved).startsWith('..')) continue;
      if (!existsSync(resolved)) {
        broken.push(`${file}: ${target} (no such file)`);
        continue;
      }
      if (anchor !== undefined && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        if (!anchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor)))
          broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(root, resolved)})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('the slugs are GitHub’s', () => {
  const slugs = anchors(
    '# The back/forward cache\n## `close()` twice\n## A peer that vanishes\n## A peer that vanishes\n## Émile, 2.0: ok?\n',
  );
  assert.deepEqual([...slugs], ['the-backforward-cache', 'close-twice', 'a-peer-that-vanishes', 'a-peer-that-vanishes-1', 'émile-20-ok']);
});

test('the README is a landing page of at most 10,000 bytes, with no commit hash or test seed', () => {
  const readme = read('README.md');
  const bytes = Buffer.byteLength(readme);
  assert.ok(bytes <= 10_000, `README.md is ${bytes} B, over 10,000: move details to docs/`);
  assert.doesNotMatch(prose(readme), /\bcommit [0-9a-f]{7,}\b|\bseed \d+/i);
  // Install first, Contributing last, with the two quick-start commands.
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map(([, heading]) => heading);
  assert.equal(headings[0], 'Install');
  assert.equal(headings.at(-1), 'Contributing');
  assert.match(readme, /^npm ci && npm run demo\b/m);
  assert.match(readme, /^npm test\b.*~\d+ min/m, 'the quick start says how long npm test takes');
});

test('the README’s generated parts are what npm run readme writes from dist/, package.json and docs/engines.json', () => {
  const missing = [CORE, EXTRAS].filter((path) => !existsSync(join(root, path)));
  assert.deepEqual(missing, [], 'dist/ is missing: run npm run build');
  const readme = read('README.md');
  assert.equal(readme, fill(readme), 'README.md is out of date: run npm run readme (after npm run build)');
  // The CDN tags: pinned to this version, each with the sha384 of the file in dist/ and crossorigin.
  for (const path of [CORE, EXTRAS]) {
    const sri = `sha384-${createHash('sha384')
      .update(readFileSync(join(root, path)))
      .digest('base64')}`;
    const url = `https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/${path}`;
    assert.match(
      readme,
      new RegExp(
        `<script src="${url.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')}"\\s+integrity="${sri.replace(/[+/]/g, '\\$&')}" crossorigin="anonymous"`,
      ),
    );
  }
  // No placeholder owner in an address while package.json has no homepage.
  assert.doesNotMatch(readme, /<owner>|github\.io\/<|example\.github\.io/);
  if (!pkg.homepage) assert.doesNotMatch(readme, /github\.io/);
});

test('engine versions come from docs/engines.json: no other Firefox ESR version is claimed', () => {
  const [esrMajor, esrMinor] = engines.firefox.split('.');
  const wrong = [];
  for (const file of DOCS) {
    for (const [claim, minor] of read(file).matchAll(new RegExp(`Firefox ESR ${esrMajor}\\.(\\d+)`, 'g'))) {
      if (minor !== esrMinor) wrong.push(`${file}: "${claim}" (docs/engines.json: Firefox ESR ${engines.firefox})`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.match(engines.chromium, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(engines.firefox, /^\d+\.\d+$/);
});

test('the CHANGELOG’s version is package.json’s, with its state (a date, or unreleased)', () => {
  const [, version, state] = read('CHANGELOG.md').match(/^## \[(\d+\.\d+\.\d+)\] - (.+)$/m);
  assert.equal(version, pkg.version);
  assert.match(state, /^(unreleased|\d{4}-\d{2}-\d{2})$/);
});
