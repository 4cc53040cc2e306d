// Issue #28, item 4: data channels transferred to a dedicated worker when the far side is the other
// engine's page or a server peer (werift in a child process), not a connection of the same page
// (tests/worker.spec.ts). The near page (the project's engine) creates one channel and receives one,
// transfers both to a worker (tests/fixtures/far.js, create({ worker })), and the far side calls
// pc.close() with messages in flight. With the shim on the page and in the worker (script tag,
// importScripts), each worker channel follows the remote rule (docs/contract.md, "Transferred
// channels"); natively, what the worker sees is recorded and only the end of each channel asserted.
import { expect, type Browser } from '@playwright/test';
import { test } from './far/fixtures';
import { QUIET_MS, sleep } from './far/checks';
import { contractRemote } from './far/expectations';
import { PagePeer, connect, startFar, type Engine, type FarKind } from './far/sides';
import { recordEngine } from './helpers';

/** Messages the far side sends on each channel right before its pc.close(): messages in flight. */
const IN_FLIGHT = 20;
/**
 * A remote abort reaches the near side within milliseconds; the worker's shim may hold an engine
 * event until the page answers, at most 500 ms after the page's transport changes state
 * (docs/contract.md). The bound far.spec.ts gives the main thread's channels, here too.
 */
const SETTLE_MS = 10_000;
/** What comes late comes within as long again as the closes took, at least QUIET_MS, at most this. */
const LATE_MAX_MS = 5_000;

interface WorkerLog {
  keys: string[];
  report: Record<string, { log: string[]; messages: number; afterClose: number; readyState: string; closeAt: number | null }>;
  events: Array<{ key: string; type: string; at: number }>;
  status: { status: string; installed: boolean } | null;
  foreign: string[];
  workerErrors: string[];
  state: Record<string, string>;
  pageErrors: string[];
}

const MODES = [
  { name: 'natively', shim: 'none', worker: 'none' },
  { name: 'with the shim on the page and in the worker', shim: 'min', worker: 'min' },
] as const;

/** The far sides: the other engine's page, or werift in a child process. */
const FAR_SIDES: Array<{ name: string; kind: (near: Engine) => FarKind }> = [
  { name: "the other engine's page", kind: (near) => (near === 'chromium' ? 'firefox' : 'chromium') },
  { name: 'a werift peer', kind: () => 'werift' },
];

/** A channel's events from its end on, without the readyState each read (`closing`, `error`, `close`). */
const sequence = (log: string[]) =>
  log
    .map((entry) => entry.split(':')[0])
    .filter((type) => /^(closing|error|close)$/.test(type))
    .join(',');

for (const side of FAR_SIDES) {
  for (const mode of MODES) {
    test(`far side ${side.name}: its pc.close() ${mode.name}, channels in a worker (one created, one received)`, async ({
      browsers,
      near,
      ends,
    }, testInfo) => {
      const kind = side.kind(near);
      const far = await startFar(kind, () => browsers(kind as Engine), mode.shim);
      ends.push(far);
      const browser: Browser = await browsers(near);
      const peer = await PagePeer.open(browser, { shim: mode.shim, channels: 1, worker: mode.worker });
      ends.push(peer);
      await connect(peer, far, { channelsOfNear: 1, farChannels: 1 });
      await far.send(IN_FLIGHT);
      const t0 = Date.now();
      await far.close();
      const closedAll = await peer.call<boolean>('workerSettled', SETTLE_MS);
      let log = await peer.call<WorkerLog>('workerLog');
      const closes = log.events.filter((e) => e.type === 'close').map((e) => e.at);
      const took = Math.max(t0, ...closes) - t0;
      // Nothing more: watched for as long again as the closes took.
      await sleep(Math.min(LATE_MAX_MS, Math.max(QUIET_MS, 2 * took)));
      log = await peer.call<WorkerLog>('workerLog');
      const seen = Object.fromEntries(log.keys.map((key) => [key, sequence(log.report[key].log)]));
      const described = `${kind} -> ${near}, ${mode.name}: ${JSON.stringify(Object.fromEntries(log.keys.map((k) => [k, log.report[k].log])))}`;
      testInfo.annotations.push({
        type: `the worker's channels (far: ${kind})`,
        description: `${JSON.stringify(seen)}; closes ${took} ms`,
      });
      await recordEngine(peer.tab, testInfo, { far: kind, closeTook: took, ...log });

      expect(log.keys, 'one created and one received channel transferred').toHaveLength(2);
      expect(closedAll, `every channel had its close in the worker within ${SETTLE_MS} ms (${described})`).toBe(true);
      expect(log.workerErrors, 'no uncaught error in the worker').toEqual([]);
      expect(log.pageErrors, 'no page error').toEqual([]);
      expect(log.foreign, "nothing but the worker's own messages reaches the page's handlers").toEqual([]);
      expect(log.status?.installed, "the worker's shim").toBe(mode.worker !== 'none');
      if (mode.worker === 'none') return;

      // The remote rule (contractRemote: from a Firefox peer, a stream reset first is also allowed).
      for (const key of log.keys) {
        const channel = log.report[key];
        expect(contractRemote(kind), `${key}: the remote rule (${described})`).toContain(seen[key]);
        expect(
          channel.log.filter((entry) => entry.startsWith('close')),
          `${key}: exactly one close, reading closed (${described})`,
        ).toEqual(['close:closed']);
        expect(
          channel.log.filter((entry) => entry.startsWith('error')).every((entry) => entry.startsWith('error:closed')),
          `${key}: error reads closed (${described})`,
        ).toBe(true);
        expect(channel.readyState, `${key}: readyState at the end`).toBe('closed');
        expect(channel.afterClose, `${key}: no message after its close`).toBe(0);
      }
    });
  }
}
