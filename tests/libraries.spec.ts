// Works with (issue #18, item 4): the libraries people build on, each in two browser pages (the
// project's engine, "near", and each engine as the other end: all four engine pairs over both
// projects), without and with the shim on both pages. The near side ends the session; both sides'
// library objects must emit exactly one `close`, the side that ended it no `error`, and no page
// error may occur. What the other side emits besides is recorded against SIMPLE_PEER_ERRORS,
// which docs/interop.md states.
//
// simple-peer 9.11.1 (signals relayed by the test, no trickle) and PeerJS 1.5.5 (a data and a media
// connection, through a `peer` 1.0.2 server this test starts on 127.0.0.1). No STUN: both
// libraries name public STUN servers by default, so each is configured with none.
import { expect, type Browser } from '@playwright/test';
import { test } from './far/fixtures';
import { ENGINES, fixturePage, ownCandidatesOnly, type Engine } from './far/sides';

type Events = Array<[number, string, string, { code?: string; message?: string }]>;
interface LibraryLog {
  events: Events;
  pageErrors: string[];
}

/**
 * What simple-peer may emit as `error` on the other side when the near side's destroy() ends the
 * session, by that side's engine and the shim. simple-peer turns a channel's `error` into
 * `destroy(err)` (ERR_DATA_CHANNEL), and its destroy() calls dc.close() and then pc.close(): the
 * other end sees a stream reset, then an SCTP ABORT, and which one ends its channel is a race (a
 * graceful close, or a remote abort). Chromium fires the abort's `error` natively, Firefox only with
 * the shim; both outcomes were seen in every pair where an `error` is possible (2026-11-29). PeerJS
 * sets no `onerror` on its channels: it emits no error either way.
 */
const SIMPLE_PEER_ERRORS: Record<Engine, Record<'none' | 'iife', string[][]>> = {
  chromium: { none: [[], ['ERR_DATA_CHANNEL']], iife: [[], ['ERR_DATA_CHANNEL']] },
  firefox: { none: [[]], iife: [[], ['ERR_DATA_CHANNEL']] },
};

/** An observation window after the closes, for "nothing more": the slowest close delivery seen here took under 50 ms. */
const QUIET_MS = 500;
const BOUND = 10_000;

async function libraryPage(browser: Browser, library: string, shim: string, ends: Array<{ dispose(): Promise<void> }>) {
  const { page, pageErrors } = await fixturePage(browser, { shim, library });
  ends.push({ dispose: () => page.close() });
  const run = <T = any>(path: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      ([p, rest]) => {
        const [lib, method] = (p as string).split('.');
        return (window as any).libraries[lib][method](...(rest as unknown[]));
      },
      [path, args] as const,
    );
  const log = async (): Promise<LibraryLog> => {
    const result = await page.evaluate(() => (window as any).libraries.log());
    return { events: result.events, pageErrors: [...result.pageErrors, ...pageErrors] };
  };
  /** Resolves once `object` (peer, data, media) has emitted `type`; fails after BOUND, saying what it did emit. */
  const until = async (object: string, type: string) => {
    const seen = () =>
      page.evaluate(([o, t]) => (window as any).libraries.log().events.some((e: unknown[]) => e[1] === o && e[2] === t), [object, type]);
    const deadline = Date.now() + BOUND;
    while (!(await seen())) {
      if (Date.now() > deadline)
        throw new Error(
          `${browser.browserType().name()}: no ${object} ${type} within ${BOUND} ms: ${JSON.stringify((await log()).events)}`,
        );
      await page.waitForTimeout(20);
    }
  };
  return { page, run, log, until };
}

const count = (log: LibraryLog, object: string, type: string) => log.events.filter(([, o, t]) => o === object && t === type).length;
const errors = (log: LibraryLog, object: string) =>
  log.events.filter(([, o, t]) => o === object && t === 'error').map(([, , , d]) => d.code);

for (const far of ENGINES) {
  for (const shim of ['none', 'iife'] as const) {
    const mode = shim === 'none' ? 'native' : 'shim';

    test(`simple-peer 9.11.1, other end ${far}, ${mode}: the near side's destroy() ends it on both sides`, async ({
      browsers,
      near,
      ends,
    }, testInfo) => {
      const a = await libraryPage(await browsers(near), 'simple-peer', shim, ends);
      const b = await libraryPage(await browsers(far), 'simple-peer', shim, ends);
      await a.run('simplePeer.create', true);
      await b.run('simplePeer.create', false);
      // Relays each side's signals (an offer, then an answer) to the other until both are connected.
      const relay = async (from: typeof a, to: typeof b) => {
        for (const data of await from.run<any[]>('simplePeer.take')) {
          await to.run('simplePeer.signal', data.sdp ? { ...data, sdp: ownCandidatesOnly(data.sdp) } : data);
        }
      };
      const deadline = Date.now() + BOUND;
      while ((await a.log()).events.every(([, , t]) => t !== 'connect') || (await b.log()).events.every(([, , t]) => t !== 'connect')) {
        expect(Date.now(), 'simple-peer connected within the bound').toBeLessThan(deadline);
        await relay(a, b);
        await relay(b, a);
        await a.page.waitForTimeout(20);
      }
      await a.run('simplePeer.send', 'hello');
      await b.until('peer', 'data');
      await a.run('simplePeer.destroy');
      await Promise.all([a.until('peer', 'close'), b.until('peer', 'close')]);
      await a.page.waitForTimeout(QUIET_MS);
      const [mine, theirs] = [await a.log(), await b.log()];
      expect(count(mine, 'peer', 'close'), 'one close where the session was ended').toBe(1);
      expect(count(theirs, 'peer', 'close'), 'one close on the other side').toBe(1);
      expect(errors(mine, 'peer'), 'no error where the session was ended').toEqual([]);
      await testInfo.attach('simple-peer errors on the other side', { body: JSON.stringify(errors(theirs, 'peer')) });
      expect(SIMPLE_PEER_ERRORS[far][shim], `errors on the other side (${near} → ${far}, ${mode})`).toContainEqual(errors(theirs, 'peer'));
      expect([...mine.pageErrors, ...theirs.pageErrors]).toEqual([]);
    });

    test(`PeerJS 1.5.5 with a peer 1.0.2 server, other end ${far}, ${mode}: data and media connections closed by the near side`, async ({
      browsers,
      near,
      ends,
      peerServer,
    }) => {
      const a = await libraryPage(await browsers(near), 'peerjs', shim, ends);
      const b = await libraryPage(await browsers(far), 'peerjs', shim, ends);
      const suffix = Math.random().toString(36).slice(2);
      await a.run('peerjs.open', `near-${suffix}`, peerServer);
      const other = await b.run<string>('peerjs.open', `far-${suffix}`, peerServer);
      await a.run('peerjs.connect', other);
      await Promise.all([a.until('data', 'open'), b.until('data', 'open')]);
      await a.run('peerjs.send', 'hello');
      await b.until('data', 'data');
      await a.run('peerjs.call', other);
      // Until PeerJS's channel of the call is open on both sides, a close would not reach the other.
      await Promise.all(['stream', 'willCloseOnRemote'].flatMap((type) => [a.until('media', type), b.until('media', type)]));
      await a.page.evaluate(() => {
        const { peerjs } = (window as any).libraries;
        peerjs.data.close();
        peerjs.media.close();
      });
      await Promise.all([a.until('data', 'close'), b.until('data', 'close'), a.until('media', 'close'), b.until('media', 'close')]);
      await a.page.waitForTimeout(QUIET_MS);
      const [mine, theirs] = [await a.log(), await b.log()];
      for (const object of ['data', 'media']) {
        expect(count(mine, object, 'close'), `${object}: one close where the session was ended`).toBe(1);
        expect(count(theirs, object, 'close'), `${object}: one close on the other side`).toBe(1);
        expect(errors(mine, object), `${object}: no error where the session was ended`).toEqual([]);
        expect(errors(theirs, object), `${object}: no error on the other side either`).toEqual([]);
      }
      expect([...errors(mine, 'peer'), ...errors(theirs, 'peer')], 'no error on either Peer').toEqual([]);
      expect([...mine.pageErrors, ...theirs.pageErrors]).toEqual([]);
    });
  }
}
