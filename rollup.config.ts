import { readFileSync } from 'node:fs';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import type { Plugin, RollupOptions } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** Replaces the `__VERSION__` placeholder with the package version. */
const injectVersion: Plugin = {
  name: 'inject-version',
  transform: (code) => ({ code: code.split('__VERSION__').join(JSON.stringify(version)), map: null }),
};

/** Writes a file of `source` next to the output. */
const asset = (fileName: string, source: string): Plugin => ({
  name: 'asset',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName, source });
  },
});

const ts = () => typescript({ tsconfig: './tsconfig.json', outDir: 'dist', rootDir: 'src', sourceMap: true, noEmitOnError: true });
const minify = terser({ ecma: 2017, module: false, compress: { passes: 2 }, format: { comments: false } });

const config: RollupOptions[] = [
  {
    input: 'src/index.ts',
    plugins: [ts(), injectVersion],
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'src/iife.ts',
    // The package is "type": "module", so Node and TypeScript would take the classic scripts in
    // dist/ (*.js) for ES modules; dist/package.json scopes them as CommonJS instead. The ES module
    // builds are .mjs, and their declarations .d.mts, for that reason.
    plugins: [ts(), injectVersion, asset('package.json', '{ "type": "commonjs" }\n')],
    output: [
      { file: 'dist/webrtc-close-shim.js', format: 'iife', sourcemap: true },
      { file: 'dist/webrtc-close-shim.min.js', format: 'iife', sourcemap: true, plugins: [minify] },
    ],
  },
  // The engine emulations (docs/emulate.md): classic scripts that apply themselves, never part of the shim.
  // Their declarations say only that they are modules: what they add to the page is not typed.
  ...['safari-before-304859', 'webkit-trunk'].map((engine): RollupOptions => ({
    input: `src/emulate/${engine}.ts`,
    plugins: [ts(), asset(`${engine}.d.ts`, 'export {};\n')],
    output: { file: `dist/emulate/${engine}.js`, format: 'iife', sourcemap: true },
  })),
  {
    input: 'src/iife-extras.ts',
    plugins: [ts(), injectVersion],
    output: [
      { file: 'dist/webrtc-close-shim.extras.js', format: 'iife', sourcemap: true },
      { file: 'dist/webrtc-close-shim.extras.min.js', format: 'iife', sourcemap: true, plugins: [minify] },
    ],
  },
  // webrtc-close-shim/playwright (docs/emulate.md): test tooling that runs in Node, not a browser build.
  {
    input: 'src/playwright.ts',
    plugins: [ts()],
    external: ['@playwright/test', 'node:url'],
    output: [
      { file: 'dist/playwright.mjs', format: 'es', sourcemap: true },
      { file: 'dist/playwright.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  // The declarations. Each module entry gets the same ones for import (.d.mts) and require (.d.cts),
  // so that under moduleResolution node16 each describes its build's module format.
  ...['index', 'playwright'].map((entry): RollupOptions => ({
    input: `src/${entry}.ts`,
    plugins: [dts()],
    output: [
      { file: `dist/${entry}.d.mts`, format: 'es' },
      { file: `dist/${entry}.d.cts`, format: 'es' },
    ],
  })),
  {
    // The global the script-tag builds (core and extras) add to the page, declared in src/iife.ts.
    input: 'src/iife.ts',
    plugins: [dts()],
    // A module, so that its `declare global` is an augmentation (rollup-plugin-dts leaves no export).
    output: { file: 'dist/webrtc-close-shim.d.ts', format: 'es', footer: 'export {};' },
  },
];

export default config;
