// closed(pc), teardown you can await (issue 14, item 1): resolves once close() has run and every
// channel of the connection has had its one `close` event, in a task after the last of them.
// Every shimmed mode and engine profile; closed() is taken from the ESM build, a second copy that
// finds the installed one through its record (Symbol.for('webrtc-close-shim')).
import { expect, test, type Page } from '@playwright/test';
import { openFixture, SHIMMED, type Mode } from './helpers';

/** The modes that also run the 1,000-channel case: the plain build and every engine profile. */
const THOUSAND = (mode: Mode) => mode.name === 'iife' || !!mode.profile;

/**
 * On a connected pair with `channels` channels, page listeners log each channel's `close` (and
 * whether the channel read `closed`), a `then` on closed(a) logs "resolved"; `how` says where
 * close() and closed() are called from.
 */
function scenario(page: Page, channels: number, how: 'plain' | 'before' | 'twice' | 'in-close-handler' | 'after-events') {
  return page.evaluate(
    async ([count, how]) => {
      const { harness } = window as any;
      const { closed } = await import('/dist/index.mjs' as string);
      const { a, b, local, remote } = await harness.connect({ channels: count });
      const log: string[] = [];
      const results: string[] = [];
      let closes = 0;
      let notClosed = 0;
      const resolved = (name: string) => () => log.push(`resolved ${name} after ${closes} closes`);
      for (const dc of local) {
        dc.addEventListener('close', () => {
          closes++;
          if (dc.readyState !== 'closed') notClosed++;
          // From inside a close handler: resolves after the rest of the events, in a later task.
          if (how === 'in-close-handler' && closes === 1) closed(a).then(resolved('from handler'));
        });
      }
      const done: Promise<unknown>[] = [];
      if (how === 'before' || how === 'twice') done.push(closed(a).then(resolved('before close()')));
      a.close();
      if (how !== 'after-events') done.push(closed(a).then(resolved('after close()')));
      if (how === 'twice') done.push(closed(a).then(resolved('again')));
      await harness.waitUntil(() => closes >= count, 10000, `${count} close events`);
      if (how === 'after-events') {
        // Nothing pending any more: resolves in the next task, not among this task's microtasks.
        let settled = false;
        const teardown = closed(a).then(() => (settled = true));
        for (let i = 0; i < 20; i++) await null;
        const sameTask = settled;
        await teardown;
        results.push(`after the events: resolved ${sameTask ? 'in the same task' : 'later'}`);
      }
      await Promise.all(done);
      const expected = { plain: 1, before: 2, twice: 3, 'in-close-handler': 2, 'after-events': 0 }[how];
      await harness.waitUntil(() => log.length >= expected, 10000, `closed() resolved ${expected} times`);
      const tracksEnded = a.getReceivers().every((r: RTCRtpReceiver) => r.track.readyState === 'ended');
      b.close();
      await closed(b);
      return {
        log,
        closes,
        notClosed,
        tracksEnded,
        results,
        remoteClosed: remote.every((dc: RTCDataChannel) => dc.readyState === 'closed'),
      };
    },
    [channels, how] as const,
  );
}

for (const mode of SHIMMED) {
  test.describe(`shim: ${mode.name}`, () => {
    test('closed(pc) resolves after the last close event: before, after, twice, from a close handler, once nothing is pending', async ({
      page,
    }) => {
      const errors: string[] = [];
      await openFixture(page, mode, errors);
      expect(await scenario(page, 3, 'plain')).toMatchObject({
        log: ['resolved after close() after 3 closes'],
        closes: 3,
        notClosed: 0,
        tracksEnded: true,
      });
      expect((await scenario(page, 2, 'before')).log).toEqual([
        'resolved before close() after 2 closes',
        'resolved after close() after 2 closes',
      ]);
      expect((await scenario(page, 2, 'twice')).log).toEqual([
        'resolved before close() after 2 closes',
        'resolved after close() after 2 closes',
        'resolved again after 2 closes',
      ]);
      expect((await scenario(page, 3, 'in-close-handler')).log).toEqual([
        'resolved after close() after 3 closes',
        'resolved from handler after 3 closes',
      ]);
      expect((await scenario(page, 1, 'after-events')).results).toEqual(['after the events: resolved later']);
      expect(errors).toEqual([]);
    });

    if (THOUSAND(mode)) {
      test('closed(pc) with 1,000 channels resolves after all 1,000 close events', async ({ page }) => {
        test.setTimeout(120_000);
        await openFixture(page, mode);
        const result = await scenario(page, 1000, 'plain');
        expect(result).toMatchObject({ log: ['resolved after close() after 1000 closes'], closes: 1000, notClosed: 0, remoteClosed: true });
      });
    }

    test('closed(pc) with close() called inside a datachannel event, and MDN’s example written with await closed(pc)', async ({ page }) => {
      await openFixture(page, mode);
      const result = await page.evaluate(async () => {
        const { harness } = window as any;
        const { closed } = await import('/dist/index.mjs' as string);
        // close() inside the remote side's datachannel event.
        const a = new RTCPeerConnection();
        const b = new RTCPeerConnection();
        const received: string[] = [];
        let teardown: Promise<string> | undefined;
        b.ondatachannel = (event) => {
          const dc = event.channel;
          dc.onclose = () => received.push(`close:${dc.readyState}`);
          b.close();
          received.push(`after close(): ${dc.readyState}`);
          teardown = closed(b).then(() => `resolved after ${received.filter((e) => e.startsWith('close')).length} close`);
        };
        a.createDataChannel('announced');
        await harness.negotiate(a, b);
        await harness.waitUntil(() => teardown, 10000, 'the datachannel event');
        const outcome = await teardown!;
        const inDatachannel = [...received, outcome];
        a.close();
        // MDN's "close after the first message", with await closed(pc) for the end of the teardown.
        const mdn: string[] = [];
        const pair = await harness.connect({ channels: 2 });
        const finished = new Promise<void>((resolve) => {
          pair.remote[0].onmessage = async () => {
            pair.b.close();
            mdn.push(`states: ${pair.remote.map((dc: RTCDataChannel) => dc.readyState).join(' ')}`);
            await closed(pair.b);
            mdn.push('teardown over');
            resolve();
          };
        });
        for (const dc of pair.remote) dc.addEventListener('close', () => mdn.push(`close ${dc.label}`));
        pair.local[0].send('hello');
        await finished;
        pair.a.close();
        return { inDatachannel, mdn };
      });
      expect(result.inDatachannel).toEqual(['after close(): closed', 'close:closed', 'resolved after 1 close']);
      expect(result.mdn).toEqual(['states: closed closed', 'close dc0', 'close dc1', 'teardown over']);
    });
  });
}

test('closed() rejects, never throws, for an unknown connection or something else, with a TypeError that says why', async ({ page }) => {
  await openFixture(page, SHIMMED[0]);
  const result = await page.evaluate(async () => {
    const { closed } = await import('/dist/index.mjs' as string);
    const frame = document.body.appendChild(document.createElement('iframe'));
    const settle = async (make: () => Promise<unknown>) => {
      let promise: Promise<unknown>;
      try {
        promise = make();
      } catch (e: any) {
        return `threw ${e.name}`;
      }
      return promise.then(
        () => 'resolved',
        (e: any) => `${e.constructor === TypeError ? 'TypeError' : e.name}: ${e.message}`,
      );
    };
    // The engine's constructor, saved before the shim's script tag: a connection built with it is
    // one the shim never saw.
    const Saved = (window as any).beforeShim.RTCPeerConnection;
    return {
      otherRealm: await settle(() => closed(new (frame.contentWindow as any).RTCPeerConnection())),
      notConnection: await settle(() => closed({} as any)),
      nothing: await settle(() => closed(undefined as any)),
      saved: await settle(() => closed(new Saved())),
    };
  });
  expect(result.otherRealm).toBe(
    'TypeError: webrtc-close-shim: closed() takes a connection the shim knows, got a connection it does not know (made before install() or in another realm)',
  );
  expect(result.saved).toBe(result.otherRealm);
  expect(result.notConnection).toBe('TypeError: webrtc-close-shim: closed() takes a connection the shim knows, got [object Object]');
  expect(result.nothing).toBe('TypeError: webrtc-close-shim: closed() takes a connection the shim knows, got undefined');
});
