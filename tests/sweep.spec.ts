// The sweep (issue 15): every getter and side-effect-free method of a connection, its channel,
// transceiver, sender, receiver and three transports, read before close(), right after it and later
// (tests/fixtures/sweep.js). Natively each engine's whole table is recorded in
// tests/sweep-expectations.ts, so the test fails when an engine changes; with the shim only the
// contract's part of it is asserted. docs/after-close.md explains each difference.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { NATIVE, openFixture, recordEngine, runScenario, type Mode } from './helpers';
import { DESCRIPTION_GETTERS, NATIVE_SWEEP, type SweepResult, type SweepRow } from './sweep-expectations';

const MIN: Mode = { name: 'min', shim: 'min' };

/** Opens the fixture page, injects the sweep and runs it, attaching its table; fails on any page error. */
async function sweep(page: Page, mode: Mode, testInfo: TestInfo): Promise<SweepResult> {
  const pageErrors: string[] = [];
  await openFixture(page, mode, pageErrors);
  await page.addScriptTag({ url: '/tests/fixtures/sweep.js' });
  const result: SweepResult = await runScenario(page, 'closeSweep');
  await testInfo.attach('sweep.md', { body: table(testInfo.project.name, mode, result), contentType: 'text/markdown' });
  expect(pageErrors, 'no page error during the sweep').toEqual([]);
  return result;
}

/** A description without what differs between runs of the same engine (SDP length and hash). */
const stable = (value: string) => value.replace(/ \(\d+ chars, #[0-9a-f]+\)/, '');

/** The row's three readings, each object marked if it is not the object read before close(). */
function readings(row: SweepRow): [string, string, string] {
  const mark = (value: string, identity?: string) => (identity ? `${value} (${identity})` : value);
  return [row.before, mark(row.after, row.afterIdentity), mark(row.later, row.laterIdentity)];
}

/** "value" when close() changed nothing, else "before → after" (and "→ later" when that differs). */
function summary(row: SweepRow, format: (value: string) => string = stable): string {
  const [before, after, later] = readings(row);
  if (before === after && after === later) return format(before);
  return [before, after, ...(later === after ? [] : [later])].map(format).join(' → ');
}

const summaries = (result: SweepResult) => Object.fromEntries(Object.entries(result.rows).map(([key, row]) => [key, summary(row)]));

/** The full table as Markdown, with what close() changes and (natively) where the other engine's recording differs. */
function table(engine: string, mode: Mode, result: SweepResult): string {
  const cell = (value: string) => `\`${value.replace(/\|/g, '\\|')}\``;
  const lines = [
    `# ${engine} (${mode.name}): every member before close(), right after it, later`,
    '',
    '| member | before | right after | later |',
    '|---|---|---|---|',
  ];
  for (const [key, row] of Object.entries(result.rows)) lines.push(`| ${key} | ${readings(row).map(cell).join(' | ')} |`);
  lines.push('', '## What close() changes', '');
  for (const [key, row] of Object.entries(result.rows)) {
    const [before, after, later] = readings(row);
    if (before !== after || after !== later) lines.push(`- ${key}: ${summary(row, (value) => value)}`);
  }
  const mine = summaries(result);
  for (const [other, recorded] of Object.entries(NATIVE_SWEEP)) {
    if (other === engine || mode !== NATIVE) continue;
    lines.push('', `## Where ${other} (recorded) differs`, '');
    for (const key of [...new Set([...Object.keys(mine), ...Object.keys(recorded.members)])].sort()) {
      if (mine[key] !== recorded.members[key])
        lines.push(`- ${key}: ${engine} ${mine[key] ?? 'absent'}; ${other} ${recorded.members[key] ?? 'absent'}`);
    }
  }
  return lines.join('\n');
}

test.describe('native engine', () => {
  test('every getter and side-effect-free method before and after close() (recorded)', async ({ page }, testInfo) => {
    const engine = testInfo.project.name;
    const result = await sweep(page, NATIVE, testInfo);
    await recordEngine(page, testInfo, result);
    const recorded = NATIVE_SWEEP[engine];
    test.skip(!recorded, `no sweep recorded for ${engine}: record the attached table in tests/sweep-expectations.ts`);
    expect(result.bundled, 'media and data share one DTLS transport (BUNDLE negotiated)').toBe(true);
    expect(summaries(result)).toEqual(recorded.members);
    expect(result.skipped, 'methods not called (side effects), per interface').toEqual(recorded.notCalled);
  });
});

test.describe('shim min', () => {
  test('the six description getters return after close() what they returned before it', async ({ page }, testInfo) => {
    const { rows } = await sweep(page, MIN, testInfo);
    for (const getter of DESCRIPTION_GETTERS) {
      const { before, after, later } = rows[`RTCPeerConnection.${getter}`];
      expect(before, `${getter} before close()`).not.toMatch(/^throws/);
      expect.soft(after, `${getter} right after close()`).toBe(before);
      expect.soft(later, `${getter} later`).toBe(before);
    }
    // The sweep's connection has negotiated: the descriptions are real, not null.
    expect(rows['RTCPeerConnection.currentLocalDescription'].before).toMatch(/^RTCSessionDescription offer /);
    expect(rows['RTCPeerConnection.currentRemoteDescription'].before).toMatch(/^RTCSessionDescription answer /);
  });

  test('transceiver.mid reads after close() what it read before it (Chromium 156 natively: null)', async ({ page }, testInfo) => {
    const { rows } = await sweep(page, MIN, testInfo);
    const { before, after, later } = rows['RTCRtpTransceiver.mid'];
    expect(before, 'the negotiated transceiver has a mid').toMatch(/\d/);
    expect(after).toBe(before);
    expect(later).toBe(before);
  });

  test('no getter throws after close()', async ({ page }, testInfo) => {
    const { rows } = await sweep(page, MIN, testInfo);
    const getters = Object.entries(rows).filter(([key]) => !key.endsWith(')'));
    expect(getters.length, 'getters read').toBeGreaterThan(50);
    const throwing = getters
      .filter(([, row]) => [row.after, row.later].some((value) => value.startsWith('throws')))
      .map(([key, row]) => `${key}: ${summary(row)}`);
    expect(throwing).toEqual([]);
  });
});
