// Shared by the benchmark scripts: statistics, the commit being measured, and the generated blocks
// of docs/performance.md (between `<!-- NAME:start -->` and `<!-- NAME:end -->`, so the prose
// around them stays hand-written).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** The q-quantile (0..1) of `values`, interpolated; null for an empty list. */
export function quantile(values, q) {
  if (!values.length) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

/** Short commit, marked when the work tree has uncommitted changes. */
export function gitDescribe() {
  try {
    const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' (uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  return { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', load: loadavg().map((l) => +l.toFixed(2)) };
}

/** "2026-11-25 15:50 UTC" */
export const stamp = (date = new Date()) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const DOC = 'docs/performance.md';

/** Replaces the generated block `name` of docs/performance.md with `lines`. */
export function updateDoc(name, lines) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(DOC, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${start} … ${end} block`);
  writeFileSync(DOC, `${text.slice(0, from + start.length)}\n${lines.join('\n')}\n${text.slice(to)}`);
}

/**
 * Makes every response of `page` cross-origin isolated (COOP/COEP), which gives Chromium's
 * performance.now() 5 µs steps instead of 100 µs, so that short batches can be timed.
 */
export function isolate(page) {
  return page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    await route.fulfill({ response, headers });
  });
}
