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
    plugins: [ts(), injectVersion],
    output: [
      { file: 'dist/webrtc-close-shim.js', format: 'iife', sourcemap: true },
      { file: 'dist/webrtc-close-shim.min.js', format: 'iife', sourcemap: true, plugins: [minify] },
    ],
  },
  // The engine emulations (docs/emulate.md): classic scripts that apply themselves, never part of the shim.
  ...['safari-before-304859', 'webkit-trunk'].map((engine): RollupOptions => ({
    input: `src/emulate/${engine}.ts`,
    plugins: [ts()],
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
  {
    input: 'src/index.ts',
    plugins: [dts()],
    // The same declarations for import (.d.ts) and require (.d.cts): with "type": "module", a .d.ts
    // alone would describe the CommonJS build as an ES module under moduleResolution node16.
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
  },
];

export default config;
