// Load (issue #6, item 8): many connections open at once, each with 10 channels exchanging
// messages continuously, then all closed in the same task. With the shim every channel of a closed
// connection reads 'closed' right after close() returns, fires exactly one close, and delivers no
// message (nor any other event) after its connection's close(). The peer connections' channels
// close through the network (SCTP abort): each also fires exactly one close, nothing after it.
//
// Size: in Chromium 200 pairs = 200 closing connections (400 RTCPeerConnection objects in the page,
// under Chromium's limit of 500) with 10 channels each: 2,000 channels closed in one task, 4,000 in
// all (about 60 s on 2 cores). In Firefox ESR 153, 100 pairs: with 200 pairs only 1,820 of the
// 4,000 channels had opened after 60 s on 2 cores, while 100 pairs connect in about 10 s. Pairs
// connect 10 at a time, without trickle ICE (like harness.connect). LOAD_PAIRS overrides both.
import { expect, test } from '@playwright/test';
import { openFixture, type Mode } from './helpers';

const DEFAULT_PAIRS: Record<string, number> = { chromium: 200, firefox: 100 };
const CHANNELS = 10;
const MODE: Mode = { name: 'iife', shim: 'iife' };

test(`shim: iife › 100-200 connections with ${CHANNELS} channels each, messages flowing, all closed in one task`, async ({
  page,
}, testInfo) => {
  const PAIRS = Number(process.env.LOAD_PAIRS ?? DEFAULT_PAIRS[testInfo.project.name] ?? 100);
  // Connecting 200 pairs dominates; the timings are attached to the test (load-summary).
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  await openFixture(page, MODE, pageErrors);
  const result = await page.evaluate(
    ([pairs, channels]) => (window as any).stress.load({ pairs, channels, batch: 10, warmupMessages: 4 }),
    [PAIRS, CHANNELS] as const,
  );
  await testInfo.attach('load-summary', { body: JSON.stringify(result, null, 2), contentType: 'application/json' });
  console.log(
    `load (${testInfo.project.name}, ${PAIRS} pairs): ${JSON.stringify({ timings: result.timings, kinds: result.kinds, closeCountsA: result.closeCountsA, closeCountsB: result.closeCountsB, remoteErrors: result.remoteErrors, receivedAtClose: result.receivedAtClose })}`,
  );
  const total = PAIRS * CHANNELS;
  // Soft: every broken rule is reported, not only the first.
  expect.soft(result.threw, 'close() never throws').toBe(0);
  expect.soft(result.kinds, `violations by kind; the first ones: ${result.violations.join('; ')}`).toEqual({});
  expect.soft(result.localClosed, 'every channel of the closed connections fired its close').toBe(true);
  expect.soft(result.closeCountsA, 'exactly one close per channel of the closed connections').toEqual({ 1: total });
  expect.soft(result.remoteClosed, "every channel of the peers fired its close before the peers' own close()").toBe(true);
  expect.soft(result.closeCountsB, 'exactly one close per channel of the peers').toEqual({ 1: total });
  expect.soft(result.receivedAtClose, 'messages were flowing when the connections closed').toBeGreaterThanOrEqual(total * 2 * 4);
  expect.soft(result.rejections, 'no unhandled rejection').toEqual([]);
  expect.soft(result.pageErrors, 'no error reported in the page').toEqual([]);
  expect(pageErrors).toEqual([]);
});
