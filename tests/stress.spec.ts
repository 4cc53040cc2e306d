// Randomized stress of the close() contract (issue #6, item 7): seeded, reproducible sequences of
// operations on pairs of connections in one page (tests/fixtures/stress.js). The invariants are
// the shim's contract, so they are asserted in shimmed modes only; natively the same run is
// recorded, and must find violations (which shows the checks can fail).
//
// A failure names the seed and the sequence; replay it outside the test runner with
//   node scripts/stress.mjs --seed SEED --from INDEX --runs 1 --engine ENGINE --shim SHIM [--profile P]
// STRESS_SEED and STRESS_RUNS override the seed and the number of sequences per mode.
import { expect, test, type Page } from '@playwright/test';
import { NATIVE, openFixture, recordEngine, type Mode } from './helpers';

const SEED = Number(process.env.STRESS_SEED ?? 604);
const RUNS = Number(process.env.STRESS_RUNS ?? 10);

const MODES: Mode[] = [
  { name: 'iife', shim: 'iife' },
  { name: 'esm', shim: 'esm' },
  // Emulates Safari not firing close at all: every close event is the shim's.
  { name: 'min over safari-before-304859', shim: 'min', profile: 'safari-before-304859' },
];

interface SequenceResult {
  seed: number;
  index: number;
  ops: object[];
  trace: string[];
  violations: string[];
  stats: { channels: number; messages: number; sent: number; handlerCloses: number; abortErrors: number };
  channels: Array<{ id: string; how: string; events: string[] }>;
  ms: number;
}

/**
 * The remote-abort rule (error before close) is not checked over the WebKit profiles: emulated on
 * Chromium, the SCTP transport's state lags the channel's close event, so the shim cannot see the
 * abort there (README, "Not done"; connection.spec.ts leaves rule 6 out for them too).
 */
const expectAbortError = (mode: Mode) => !mode.profile || !mode.profile.startsWith('safari');

function runSequence(page: Page, mode: Mode, seed: number, index: number): Promise<SequenceResult> {
  return page.evaluate(([s, i, expect]) => (window as any).stress.sequence(s, i, { expectAbortError: expect }), [
    seed,
    index,
    expectAbortError(mode),
  ] as const);
}

function describeFailure(mode: Mode, engine: string, r: SequenceResult): string {
  const replay = `node scripts/stress.mjs --seed ${r.seed} --from ${r.index} --runs 1 --engine ${engine} --shim ${mode.shim}${mode.profile ? ` --profile ${mode.profile}` : ''}`;
  return [
    `seed ${r.seed}, sequence ${r.index} (${mode.name}, ${engine}); replay: ${replay}`,
    'violations:',
    ...r.violations.map((v) => `  ${v}`),
    'operations:',
    ...r.ops.map((op, i) => `  #${i} ${JSON.stringify(op)}`),
    'trace:',
    ...r.trace.map((t) => `  ${t}`),
    'channel events:',
    ...r.channels.map((c) => `  ${c.id} (${c.how}): ${c.events.join(' ') || 'none'}`),
  ].join('\n');
}

test('the operations are a pure function of seed and sequence index (replayable)', async ({ page }) => {
  await openFixture(page, NATIVE);
  const [first, again, next] = await page.evaluate((seed) => {
    const { generate } = (window as any).stress;
    return [generate(seed, 3), generate(seed, 3), generate(seed, 4)];
  }, SEED);
  expect(again).toEqual(first);
  expect(next).not.toEqual(first);
  expect(first[first.length - 1]).toMatchObject({ op: 'pcclose' });
});

for (const mode of MODES) {
  test(`shim: ${mode.name} › ${RUNS} random sequences from seed ${SEED} keep the contract`, async ({ page }, testInfo) => {
    test.setTimeout(30_000 + RUNS * 8_000);
    const pageErrors: string[] = [];
    await openFixture(page, mode, pageErrors);
    const failures: SequenceResult[] = [];
    const totals = { channels: 0, messages: 0, handlerCloses: 0, abortErrors: 0, ms: 0 };
    for (let index = 0; index < RUNS; index++) {
      const result = await runSequence(page, mode, SEED, index);
      if (result.violations.length) failures.push(result);
      for (const key of ['channels', 'messages', 'handlerCloses', 'abortErrors'] as const) totals[key] += result.stats[key];
      totals.ms += result.ms;
    }
    await testInfo.attach('stress-summary', {
      body: JSON.stringify({ seed: SEED, runs: RUNS, totals, failed: failures.map((f) => f.index) }, null, 2),
      contentType: 'application/json',
    });
    // The sequences must really exercise channels, messages and closes from handlers.
    expect(totals.channels, 'channels created or received over the run').toBeGreaterThan(RUNS * 2);
    expect(totals.messages, 'messages delivered over the run').toBeGreaterThan(0);
    expect(totals.handlerCloses, 'closes from inside handlers over the run').toBeGreaterThan(0);
    expect(
      failures.length,
      failures
        .slice(0, 3)
        .map((f) => describeFailure(mode, testInfo.project.name, f))
        .join('\n\n'),
    ).toBe(0);
    expect(pageErrors).toEqual([]);
  });
}

test(`native engine › the same sequences break the contract (recorded; shows the checks can fail)`, async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  await openFixture(page, NATIVE);
  const runs = Math.min(RUNS, 3);
  const violations: string[] = [];
  for (let index = 0; index < runs; index++) {
    const result = await runSequence(page, NATIVE, SEED, index);
    violations.push(...result.violations.map((v) => `#${index} ${v}`));
  }
  await recordEngine(page, testInfo, { seed: SEED, runs, violations });
  expect(violations.length, 'native engines do not keep the contract (readyState, closing, late events)').toBeGreaterThan(0);
});
