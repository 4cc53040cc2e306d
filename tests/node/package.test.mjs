// Release hygiene (issue #9, item 5): what `npm pack` would publish, and the files that go with a
// release. Reads the working tree as it is (dist/ included); nothing is built or written.
//
// src/ ships because the source maps point into it (dist/*.map list ../src/*.ts with no
// sourcesContent): without it, a debugger stepping into the shim would find nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json'));

// Semantic Versioning 2.0.0, the regular expression suggested at semver.org.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

let files; // paths in the tarball
let packed; // npm's report of the tarball

before(async () => {
  // Without the settings of an enclosing `npm run` that would change what pack reports.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_(dry_run|json|workspaces?|pack_destination)$/i.test(key)),
  );
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    env,
    maxBuffer: 16 << 20,
  });
  [packed] = JSON.parse(stdout);
  files = packed.files.map((f) => f.path).sort();
});

test('the tarball holds only the builds, their sources, the docs and package.json', () => {
  const allowed = [
    /^dist\/(?:emulate\/)?[^/]+\.(?:mjs|cjs|js|d\.ts|d\.cts|d\.mts|map)$/,
    // { "type": "commonjs" }: Node and TypeScript take the classic scripts in dist/ for what they are.
    /^dist\/package\.json$/,
    /^src\/(?:[\w-]+\/)*[\w-]+\.ts$/,
    /^(?:README\.md|LICENSE|CHANGELOG\.md|package\.json)$/,
  ];
  const unexpected = files.filter((path) => !allowed.some((re) => re.test(path)));
  assert.deepEqual(unexpected, [], 'files that should not ship');
  for (const dir of ['tests/', 'bench/', 'demo/', 'scripts/', '.ci/', 'node_modules/', 'docs/', 'test-results/', 'playwright-report/']) {
    assert.ok(!files.some((path) => path.startsWith(dir)), `${dir} ships`);
  }
  assert.ok(!files.some((path) => posix.basename(path).startsWith('.')), 'a dotfile ships');
  assert.ok(!files.some((path) => path.endsWith('.tsbuildinfo') || path.endsWith('.tgz')));
  assert.ok(!files.some((path) => /(^|\/)(profiles|fixtures)(\/|$)|\.spec\.ts$/.test(path)), 'test-only files ship');
});

test('the tarball holds LICENSE, CHANGELOG.md, README.md and every file package.json points at', () => {
  for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json'])
    assert.ok(files.includes(file), `${file} is not in the tarball`);
  const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, ...pkg.sideEffects];
  const collect = (entry) => (typeof entry === 'string' ? targets.push(entry) : Object.values(entry).forEach(collect));
  collect(pkg.exports);
  collect(pkg.typesVersions);
  for (const target of targets) assert.ok(files.includes(posix.normalize(target)), `${target} is not in the tarball`);
  assert.equal(packed.name, pkg.name);
  assert.equal(packed.version, pkg.version);
  assert.equal(packed.bundled.length, 0);
});

test('every source map in the tarball finds its sources inside the tarball', () => {
  const maps = files.filter((path) => path.endsWith('.map'));
  assert.ok(maps.length > 0);
  const problems = [];
  for (const map of maps) {
    const { file, sources, sourcesContent = [], sourceRoot = '' } = JSON.parse(read(map));
    const dir = posix.dirname(map);
    if (file !== posix.basename(map, '.map')) problems.push(`${map}: "file" is ${file}`);
    if (!files.includes(posix.join(dir, posix.basename(map, '.map')))) problems.push(`${map}: its script is not in the tarball`);
    const missing = sources
      .map((source, i) => ({ source, path: posix.join(dir, sourceRoot, source), inlined: typeof sourcesContent[i] === 'string' }))
      .filter(({ path, inlined }) => !inlined && !files.includes(path));
    if (missing.length) {
      const { source, path } = missing[0];
      problems.push(
        `${map}: ${missing.length} of ${sources.length} sources neither in the tarball nor inlined (first: "${source}", i.e. ${path})`,
      );
    }
  }
  for (const script of files.filter((path) => /^dist\/.*\.(?:mjs|cjs|js)$/.test(path))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(script));
    if (url && !files.includes(posix.join(posix.dirname(script), url[1])))
      problems.push(`${script}: its map ${url[1]} is not in the tarball`);
  }
  assert.deepEqual(problems, []);
});

test('the version is semver and the changelog has an entry for it', () => {
  assert.match(pkg.version, SEMVER);
  const changelog = read('CHANGELOG.md');
  assert.match(changelog, /^# Changelog\n/);
  assert.match(changelog, /keepachangelog\.com/, 'says it follows Keep a Changelog');
  const escaped = pkg.version.replace(/\./g, '\\.');
  const heading = new RegExp(`^## \\[${escaped}\\] - (\\d{4}-\\d{2}-\\d{2}|unreleased)$`, 'm');
  assert.match(changelog, heading, `no "## [${pkg.version}] - YYYY-MM-DD" (or "- unreleased") heading`);
  const entry = changelog.slice(heading.exec(changelog).index).split(/\n(?=## \[)/)[0];
  assert.match(entry, /^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/m, 'the entry has no Keep a Changelog section');
  assert.match(entry, /^- \S/m, 'the entry lists no change');
  const date = heading.exec(changelog)[1];
  if (date !== 'unreleased') assert.ok(!Number.isNaN(Date.parse(date)), `${date} is not a date`);
  // Every version heading is semver, newest first.
  const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]).filter((v) => v !== 'Unreleased');
  for (const v of versions) assert.match(v, SEMVER);
  assert.equal(versions[0], pkg.version, 'the newest entry is the package version');
});

test('LICENSE is the MIT license that package.json names', () => {
  assert.equal(pkg.license, 'MIT');
  const license = read('LICENSE');
  assert.match(license, /^MIT License\n/);
  assert.match(license, /^Copyright \(c\) \d{4} \S.*$/m);
  assert.match(license, /Permission is hereby granted, free of charge, to any person obtaining a copy/);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});
