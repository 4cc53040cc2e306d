#!/usr/bin/env node
// npm run size (and part of npm test): gzip sizes of what users load, checked against budgets; what
// each extra adds to an install() bundle; and what each core concern (src/concerns/) adds to the
// script tag, measured by building it without that concern. Exits non-zero over a budget.
// `npm run size -- --write` also rewrites the table in docs/design.md ("Size"), with date and commit.
//
// Budgets are the sizes reached with a little headroom, so that growth is a decision (issue #13's
// targets and where they stand: docs/design.md, "Size").
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const EXTRAS = [
  'settlePendingOnClose',
  'stopTracksOnClose',
  'releaseHandlers',
  'recoverConnectionLimit',
  'endFailedConnections',
  'closeOnPagehide',
];
const gzip = (code) => gzipSync(code, { level: 9 }).length;

async function bundle(options) {
  const result = await build({ bundle: true, minify: true, target: 'es2017', write: false, logLevel: 'silent', ...options });
  return result.outputFiles[0].contents;
}

/** dist/index.mjs bundled and minified by esbuild with install() called with `extras`. */
const installBundle = (extras) =>
  bundle({
    stdin: {
      contents: `import { install${extras.map((e) => `, ${e}`).join('')} } from './dist/index.mjs'; install({ extras: [${extras.join(', ')}] });`,
      resolveDir: process.cwd(),
    },
    format: 'esm',
  });

/** The core script-tag entry built from src/ with `concern` replaced by one that does nothing. */
function withoutConcern(concern) {
  return bundle({
    entryPoints: ['src/iife.ts'],
    format: 'iife',
    define: { __VERSION__: '"0"' },
    plugins: [
      {
        name: 'without-concern',
        setup(b) {
          b.onLoad({ filter: new RegExp(`concerns/${concern}\\.ts$`) }, () => ({
            contents: `export const ${concern} = () => ({ stats() {}, closed() {} });`,
            loader: 'ts',
          }));
        },
      },
    ],
  });
}

const rows = [
  ['dist/webrtc-close-shim.min.js (script tag, core)', gzip(readFileSync('dist/webrtc-close-shim.min.js')), 5800],
  ['dist/index.mjs, install() bundled and minified by esbuild', gzip(await installBundle([])), 5800],
  ['dist/webrtc-close-shim.extras.min.js (script tag, every extra)', gzip(readFileSync('dist/webrtc-close-shim.extras.min.js')), 7100],
];

let over = 0;
console.log('size (gzip -9)                                                   bytes   budget');
for (const [name, bytes, budget] of rows) {
  if (bytes > budget) over++;
  console.log(`${name.padEnd(65)}${String(bytes).padStart(5)}   ${budget}${bytes > budget ? '   OVER BUDGET' : ''}`);
}

const core = rows[1][1];
const extras = [];
console.log('\nwhat each extra adds to the install() bundle (esbuild-minified, gzip):');
for (const extra of EXTRAS) {
  extras.push([extra, gzip(await installBundle([extra])) - core]);
  console.log(`  ${extra.padEnd(24)}${String(extras.at(-1)[1]).padStart(5)}`);
}

const full = gzip(await withoutConcern('none'));
const concerns = [];
console.log('\nwhat each core concern adds to the script tag (esbuild-minified, gzip):');
for (const file of readdirSync('src/concerns').sort()) {
  const concern = file.replace(/\.ts$/, '');
  concerns.push([concern, full - gzip(await withoutConcern(concern))]);
  console.log(`  ${concern.padEnd(24)}${String(concerns.at(-1)[1]).padStart(5)}`);
}

if (process.argv.includes('--write')) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim()
    ? ' (with uncommitted changes to src/)'
    : '';
  const table = [
    `Written by \`npm run size -- --write\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit}${dirty}.`,
    '',
    '| part (gzip -9) | bytes | budget |',
    '|---|---|---|',
    ...rows.map(([name, bytes, budget]) => `| ${name} | ${bytes} | ${budget} |`),
    ...extras.map(([extra, bytes]) => `| extra \`${extra}\`, added to the \`install()\` bundle | ${bytes} | |`),
    ...concerns.map(([concern, bytes]) => `| core concern \`src/concerns/${concern}.ts\`, in the script tag (esbuild) | ${bytes} | |`),
    `| the rest of the core script tag (esbuild): entries, install, tracking, patcher, dispatcher, registry | ${full - concerns.reduce((sum, [, b]) => sum + b, 0)} | |`,
  ].join('\n');
  const doc = readFileSync('docs/design.md', 'utf8');
  const updated = doc.replace(/<!-- size:start -->[\s\S]*<!-- size:end -->/, `<!-- size:start -->\n${table}\n<!-- size:end -->`);
  if (updated === doc && !doc.includes(table)) throw new Error('docs/design.md has no <!-- size:start --> block');
  writeFileSync('docs/design.md', updated);
  console.log('\nwrote the table in docs/design.md');
}
process.exit(over ? 1 : 0);
