// A page that goes away (issue #22): its tab closed, a navigation, a reload, its iframe removed or
// navigated, with open channels and no close() called by the page. webrtc-pc closes every
// connection of an unloaded document, which the far side sees; natively Chromium 156 sends nothing
// when a tab closes. For each far side (a page of either engine, werift, @roamhq/wrtc), every way
// of leaving, natively (tests/far/expectations.ts, NATIVE_LEAVE) and with the shim on both ends
// (the core closes the connections from `pagehide`: every far channel ends within a second).
// Chromium runs with its back/forward cache on and the pages are cacheable, as users have them:
// a navigation's `pagehide` there has `persisted` true, the core leaves the connections to the
// engine, and Chromium evicts the page (`rtc`) and sends its own ABORT. Each pair records the
// `persisted` of its `pagehide` (PAGEHIDE_PERSISTED).
import { expect, type Frame, type Page } from '@playwright/test';
import { sleep } from './far/checks';
import { test } from './far/fixtures';
import { NATIVE_LEAVE, PAGEHIDE_PERSISTED, contractRemote, type Leave } from './far/expectations';
import { JanusFar, JanusServer } from './far/janus';
import { BrowserFar, ENGINES, PagePeer, STACKS, connect, startFar, type Engine, type FarKind, type FarSide } from './far/sides';

const FAR_KINDS: Array<FarKind | 'janus'> = [...ENGINES, ...STACKS, 'janus'];
const LEAVES: Leave[] = ['tab closed', 'navigation', 'reload', 'iframe removed', 'iframe navigated'];
const NEAR_CHANNELS = 2;
/** Channels the far side opens (Janus's echotest opens none), besides the near side's. */
const farChannels = (kind: FarKind | 'janus') => (kind === 'janus' ? 0 : 1);
/** What the far side reports an end of: each channel, or Janus's one hangup for them all. */
const farEnds = (kind: FarKind | 'janus') => (kind === 'janus' ? 1 : NEAR_CHANNELS + farChannels(kind));
/**
 * The target: every far channel ends within this long of the page being gone (the tab
 * closed, the new document loaded, the iframe removed: when the test's action resolved).
 */
const GOODBYE_WITHIN = 1_000;

test.use({ backForwardCache: true });

/** Before it leaves: the near page (or frame) stores its `pagehide`'s `persisted` where the tab's next document can read it. */
function notePageHide(peer: PagePeer): Promise<void> {
  return peer.page.evaluate(() => {
    localStorage.removeItem('pagehide');
    addEventListener('pagehide', (event) => localStorage.setItem('pagehide', String(event.persisted)));
  });
}

/** The `persisted` the near page's `pagehide` had; null where no document of its origin is left to read it (a closed tab). */
async function persistedOf(peer: PagePeer, how: Leave): Promise<boolean | null> {
  if (how === 'tab closed') return null;
  const stored = await peer.tab.evaluate(() => localStorage.getItem('pagehide'));
  return stored === null ? null : stored === 'true';
}

/** The near page (or its frame) goes away. */
async function leave(peer: PagePeer, how: Leave): Promise<unknown> {
  const away = new URL('/page?shim=none&left=1', peer.page.url()).href;
  switch (how) {
    case 'tab closed':
      return peer.tab.close();
    case 'navigation':
      return (peer.page as Page).goto(away);
    case 'reload':
      return (peer.page as Page).reload();
    case 'iframe removed':
      return peer.tab.evaluate(() => document.querySelector('iframe')!.remove());
    case 'iframe navigated':
      return (peer.page as Frame).goto(away);
  }
}

/** Polls the far side until every channel has closed or `ms` has passed; the close times it saw. */
async function farCloses(far: FarSide, ms: number): Promise<Record<string, number | null>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const times = await far.closeTimes();
    if (Object.values(times).every((t) => t !== null) || Date.now() > deadline) return times;
    await sleep(20);
  }
}

for (const kind of FAR_KINDS) {
  test(`far side: ${kind}: a page that goes away without close(), natively and with the shim`, async ({
    browsers,
    near,
    ends,
  }, testInfo) => {
    test.setTimeout(120_000);
    const cases = LEAVES.flatMap((how) => ['none', 'iife'].map((shim) => ({ how, shim })));
    // One Janus for every pair, a session each.
    const janus = kind === 'janus' ? await JanusServer.start() : undefined;
    if (janus) ends.push(janus);
    const pairs = await Promise.all(
      cases.map(async ({ how, shim }) => {
        const far = janus ? await janus.attach() : await startFar(kind as FarKind, () => browsers(kind as Engine), shim);
        ends.push(far);
        const peer = await PagePeer.open(await browsers(near), {
          shim,
          channels: NEAR_CHANNELS,
          inFrame: how.startsWith('iframe'),
          cacheable: true,
        });
        ends.push(peer);
        await connect(peer, far, { channelsOfNear: NEAR_CHANNELS, farChannels: farChannels(kind) });
        // Janus can report the connection up after the channels opened: a goodbye before that goes unreported.
        if (far instanceof JanusFar) await far.until((e) => e.janus === 'webrtcup', 10_000, 'webrtcup');
        const expected = shim === 'none' ? NATIVE_LEAVE[near][how] : 'goodbye';
        await notePageHide(peer);
        return { how, shim, far, peer, expected, name: `${shim === 'none' ? 'native' : 'shim'}, ${how}` };
      }),
    );
    const left = Date.now();
    /** Per pair, ms from `left` until the page was gone. */
    const gone = new Map(await Promise.all(pairs.map(async (p) => [p, (await leave(p.peer, p.how), Date.now() - left)] as const)));

    // The goodbyes first (bounded at ten times the target, so that a late one says how late), then
    // the far sides that get none, watched three times as long as the slowest goodbye took.
    const goodbyes = pairs.filter((p) => p.expected === 'goodbye');
    const seen = new Map(await Promise.all(goodbyes.map(async (p) => [p, await farCloses(p.far, 10 * GOODBYE_WITHIN)] as const)));
    const delays = (times: Record<string, number | null>) => Object.values(times).map((t) => (t === null ? null : t - left));
    const slowest = Math.max(0, ...Array.from(seen.values()).flatMap((times) => delays(times).map((d) => d ?? 0)));
    const watch = Math.max(GOODBYE_WITHIN, 3 * slowest);
    await sleep(Math.max(0, left + watch - Date.now()));
    for (const p of pairs.filter((p) => p.expected === 'nothing')) seen.set(p, await p.far.closeTimes());
    const persisted = new Map(await Promise.all(pairs.map(async (p) => [p, await persistedOf(p.peer, p.how)] as const)));

    const report = pairs.map((p) => ({
      case: p.name,
      expected: p.expected,
      persisted: persisted.get(p),
      msUntilGone: gone.get(p),
      msToEachFarClose: delays(seen.get(p)!),
    }));
    await testInfo.attach('far-closes', {
      body: JSON.stringify({ near, kind, watchedMs: watch, report }, null, 1),
      contentType: 'application/json',
    });
    for (const p of pairs) {
      const times = delays(seen.get(p)!);
      expect(persisted.get(p), `${p.name}: pagehide's persisted`).toBe(PAGEHIDE_PERSISTED[near][p.how]);
      expect(times.length, `${p.name}: what the far side reports an end of`).toBe(farEnds(kind));
      if (p.expected === 'nothing') {
        expect(times, `${p.name}: nothing reaches the far side within ${watch} ms`).toEqual(times.map(() => null));
        continue;
      }
      for (const t of times) {
        expect(t, `${p.name}: every far channel closed`).not.toBeNull();
        expect(t!, `${p.name}: ms from leaving to a far close (the page was gone at ${gone.get(p)} ms)`).toBeLessThanOrEqual(
          gone.get(p)! + GOODBYE_WITHIN,
        );
      }
      if (p.shim !== 'none' && p.far instanceof BrowserFar) {
        // The far page (with the shim) sees a remote abort: closing, error, one close; from a Firefox
        // page (the shim's goodbye is a pc.close(): its stream resets go first), also closing, close.
        const log = await p.far.peer.log();
        for (const [label] of log.channels) {
          const sequence = log.events
            .filter(([, target, type]) => target === label && /^(closing|error|close)$/.test(type))
            .map(([, , type]) => type)
            .join(',');
          expect(contractRemote(near), `${p.name}: far ${label}: ${sequence}`).toContain(sequence);
        }
        expect(log.pageErrors, `${p.name}: far page errors`).toEqual([]);
      }
    }
  });
}
