// Randomized stress of the close() contract (issue #6, item 7; issue #15): seeded, reproducible
// sequences of operations on pairs of connections in one page (tests/fixtures/stress.js), with
// data channels and, in about half of them, generated audio and video tracks. The invariants are
// the shim's contract, so they are asserted in shimmed modes only; natively the same run is
// recorded, and must find violations, the media ones included (which shows the checks can fail).
//
// No sequence can stall a test: the page bounds every wait and reports an operation pending for
// 30 s as a hang; past SEQUENCE_BOUND_MS the page itself is given up. Either way the sequence is a
// failure naming what was pending, and the test goes on with a fresh page.
//
// A failure names the seed and the sequence; replay it outside the test runner with
//   node scripts/stress.mjs --seed SEED --from INDEX --runs 1 --engine ENGINE --shim SHIM [--profile P] [--options O]
// STRESS_SEED and STRESS_RUNS override the seed and the number of sequences per mode.
import { expect, test, type Page } from '@playwright/test';
import { NATIVE, openFixture, recordEngine, type Mode } from './helpers';

const SEED = Number(process.env.STRESS_SEED ?? 604);
const RUNS = Number(process.env.STRESS_RUNS ?? 10);
const OP_BOUND_MS = 30_000;
const SEQUENCE_BOUND_MS = 90_000;

const MODES: Mode[] = [
  { name: 'iife', shim: 'iife' },
  { name: 'esm', shim: 'esm' },
  // Emulates Safari not firing close at all: every close event is the shim's.
  { name: 'min over safari-before-304859', shim: 'min', profile: 'safari-before-304859' },
  // Local tracks stop with their connection unless another open connection still sends them.
  { name: 'iife with stopTracksOnClose', shim: 'iife', options: ['stopTracksOnClose'] },
];

interface SequenceResult {
  seed: number;
  index: number;
  ops: Array<{ op: string }>;
  trace: string[];
  violations: string[];
  hang?: { pending: string };
  stats: {
    channels: number;
    messages: number;
    sent: number;
    handlerCloses: number;
    abortErrors: number;
    tracks: number;
    mediaChecks: number;
  };
  channels: Array<{ id: string; how: string; events: string[] }>;
  ms: number;
}

/**
 * The remote-abort rule (error before close) is not checked over the WebKit profiles: emulated on
 * Chromium, the SCTP transport's state lags the channel's close event, so the shim cannot see the
 * abort there (docs/contract.md, "Limits"; connection.spec.ts leaves rule 6 out for them too).
 */
const expectAbortError = (mode: Mode) => !mode.profile || !mode.profile.startsWith('safari');

/**
 * Runs sequences `indexes` of SEED in `mode`, each within SEQUENCE_BOUND_MS; after a hang the
 * page is replaced. Resolves with every result (a page that stopped answering gives a result
 * whose only violation says so).
 */
async function runSequences(page: Page, mode: Mode, pageErrors: string[], indexes: number[], stop?: (r: SequenceResult) => boolean) {
  const results: SequenceResult[] = [];
  let current = page;
  for (const index of indexes) {
    let timer: NodeJS.Timeout | undefined;
    const evaluation = current.evaluate(([s, i, o]) => (window as any).stress.sequence(s, i, o) as Promise<SequenceResult>, [
      SEED,
      index,
      { expectAbortError: expectAbortError(mode), opBound: OP_BOUND_MS },
    ] as const);
    const result = await Promise.race([
      evaluation,
      new Promise<SequenceResult>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              seed: SEED,
              index,
              ops: [],
              trace: [],
              violations: [`hang: the page did not finish the sequence within ${SEQUENCE_BOUND_MS / 1000} s`],
              hang: { pending: 'the whole page' },
              stats: { channels: 0, messages: 0, sent: 0, handlerCloses: 0, abortErrors: 0, tracks: 0, mediaChecks: 0 },
              channels: [],
              ms: SEQUENCE_BOUND_MS,
            }),
          SEQUENCE_BOUND_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    evaluation.catch(() => {}); // settles (or not) in a page given up on
    results.push(result);
    if (result.hang) {
      // Hung promises and connections stay behind in that page: go on in a fresh one.
      const fresh = await current.context().newPage();
      void current.close({ runBeforeUnload: false }).catch(() => {});
      await openFixture(fresh, mode, pageErrors);
      current = fresh;
    }
    if (stop?.(result)) break;
  }
  return results;
}

function describeFailure(mode: Mode, engine: string, r: SequenceResult): string {
  const replay = `node scripts/stress.mjs --seed ${r.seed} --from ${r.index} --runs 1 --engine ${engine} --shim ${mode.shim}${mode.profile ? ` --profile ${mode.profile}` : ''}${mode.options ? ` --options ${mode.options.join(',')}` : ''}`;
  return [
    `seed ${r.seed}, sequence ${r.index} (${mode.name}, ${engine})${r.hang ? ', HANG' : ''}; replay: ${replay}`,
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

const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);

test('the operations are a pure function of seed and sequence index (replayable), media included', async ({ page }) => {
  await openFixture(page, NATIVE);
  const [first, again, next, many] = await page.evaluate((seed) => {
    const { generate } = (window as any).stress;
    return [generate(seed, 3), generate(seed, 3), generate(seed, 4), Array.from({ length: 40 }, (_, i) => generate(seed, i))];
  }, SEED);
  expect(again).toEqual(first);
  expect(next).not.toEqual(first);
  expect(first[first.length - 1]).toMatchObject({ op: 'pcclose' });
  const kinds = new Set(
    (many as Array<Array<{ op: string; target?: string }>>).flat().map((op) => (op.op === 'arm' ? `arm:${op.target}` : op.op)),
  );
  for (const kind of [
    'addTrack',
    'addTransceiver',
    'replaceTrack',
    'removeTrack',
    'stopTransceiver',
    'direction',
    'shareElsewhere',
    'arm:track',
  ]) {
    expect(kinds, `the generator makes ${kind} operations`).toContain(kind);
  }
});

test('no unbounded wait: a poll whose predicate throws fails, an operation past its bound is reported as a hang', async ({ page }) => {
  await openFixture(page, NATIVE);
  const { thrown, hung } = await page.evaluate(async (seed) => {
    const { waitFor, sequence } = (window as any).stress;
    const thrown = await waitFor(
      () => {
        throw new DOMException('Peer connection is closed', 'InvalidStateError');
      },
      60_000,
      'a getter',
    ).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    // A 1 ms bound: the first awaited operation (a negotiation, a wait) outlives it.
    for (let index = 0; index < 10; index++) {
      const r = await sequence(seed, index, { opBound: 1 });
      if (r.hang) return { thrown, hung: { index, hang: r.hang, violations: r.violations } };
    }
    return { thrown, hung: undefined };
  }, SEED);
  expect(thrown).toBe('waiting for a getter: the predicate threw DOMException:InvalidStateError: Peer connection is closed');
  expect(hung, 'a sequence with a 1 ms bound per operation hangs').toBeDefined();
  expect(hung!.violations.filter((v: string) => v.startsWith('hang: '))).toEqual([
    expect.stringMatching(/^hang: op #\d+ \w+ still pending after 1 ms.* \(op #\d+ \{"op":/),
  ]);
});

for (const mode of MODES) {
  test(`shim: ${mode.name} › ${RUNS} random sequences from seed ${SEED} keep the contract`, async ({ page }, testInfo) => {
    test.setTimeout(60_000 + RUNS * 20_000);
    const pageErrors: string[] = [];
    await openFixture(page, mode, pageErrors);
    const results = await runSequences(page, mode, pageErrors, indexes(RUNS));
    const failures = results.filter((r) => r.violations.length);
    const totals = { channels: 0, messages: 0, handlerCloses: 0, abortErrors: 0, tracks: 0, mediaChecks: 0, ms: 0 };
    for (const r of results) {
      for (const key of ['channels', 'messages', 'handlerCloses', 'abortErrors', 'tracks', 'mediaChecks'] as const)
        totals[key] += r.stats[key];
      totals.ms += r.ms;
    }
    await testInfo.attach('stress-summary', {
      body: JSON.stringify(
        { seed: SEED, runs: RUNS, totals, failed: failures.map((f) => f.index), hangs: failures.filter((f) => f.hang).map((f) => f.index) },
        null,
        2,
      ),
      contentType: 'application/json',
    });
    expect(
      failures.length,
      failures
        .slice(0, 3)
        .map((f) => describeFailure(mode, testInfo.project.name, f))
        .join('\n\n'),
    ).toBe(0);
    // The sequences must really exercise channels, messages, closes from handlers and media.
    expect(totals.channels, 'channels created or received over the run').toBeGreaterThan(RUNS * 2);
    expect(totals.messages, 'messages delivered over the run').toBeGreaterThan(0);
    expect(totals.handlerCloses, 'closes from inside handlers over the run').toBeGreaterThan(0);
    expect(totals.tracks, 'generated tracks sent over the run').toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
}

/** Violations of the media checks, by kind: what a native run must show. */
const MEDIA_KINDS: Record<string, RegExp> = {
  'receiver track not ended at once': /receiver track reads 'live' right after close\(\)/,
  'sender.track kept': /sender\.track is \S+, not null, right after close\(\)/,
};
const GETTERS_THROW = /\.(local|remote|currentLocal|pendingLocal|currentRemote|pendingRemote)Description threw .* after close\(\)/;
const TRACK_NOT_STOPPED = /local track \S+: reads 'live' after \S+\.close\(\) \(stopTracksOnClose/;

test(`native engine › the same sequences break the contract, media checks included (recorded; shows the checks can fail)`, async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000 + RUNS * 20_000);
  await openFixture(page, NATIVE);
  const violations: string[] = [];
  const wanted = [...Object.values(MEDIA_KINDS), ...(testInfo.project.name === 'firefox' ? [GETTERS_THROW] : [])];
  const seen = () => wanted.every((kind) => violations.some((v) => kind.test(v)));
  // Until every wanted kind has shown up (at most RUNS sequences).
  await runSequences(page, NATIVE, [], indexes(RUNS), (r) => {
    violations.push(...r.violations.map((v) => `#${r.index} ${v}`));
    return seen();
  });
  await recordEngine(page, testInfo, { seed: SEED, violations });
  expect(violations.length, 'native engines do not keep the contract (readyState, closing, late events)').toBeGreaterThan(0);
  for (const [kind, pattern] of Object.entries(MEDIA_KINDS)) {
    expect(
      violations.some((v) => pattern.test(v)),
      `natively: ${kind}`,
    ).toBe(true);
  }
  // Firefox ESR 153 throws InvalidStateError from the six description getters after close().
  if (testInfo.project.name === 'firefox')
    expect(
      violations.some((v) => GETTERS_THROW.test(v)),
      'natively: description getters throw',
    ).toBe(true);
});

test(`native engine with ?options=stopTracksOnClose › local tracks keep running (shows the stopTracksOnClose check can fail)`, async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000 + RUNS * 20_000);
  // No shim: the option in the URL reaches only the fixture, which then expects the tracks stopped.
  const mode: Mode = { name: 'native', shim: 'none', options: ['stopTracksOnClose'] };
  await openFixture(page, mode);
  const violations: string[] = [];
  await runSequences(page, mode, [], indexes(RUNS), (r) => {
    violations.push(...r.violations.map((v) => `#${r.index} ${v}`));
    return violations.some((v) => TRACK_NOT_STOPPED.test(v));
  });
  await recordEngine(page, testInfo, { seed: SEED, violations: violations.filter((v) => TRACK_NOT_STOPPED.test(v)) });
  expect(
    violations.some((v) => TRACK_NOT_STOPPED.test(v)),
    'natively, close() leaves the local tracks running',
  ).toBe(true);
});
