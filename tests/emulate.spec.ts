// The engine emulations (dist/emulate/*.js, docs/emulate.md): run over each one in Chromium and
// Firefox, the behaviour page (demo/index.html?emulate=NAME) gives natively the verdicts of the
// WebKit it emulates wherever they are known, and every rule holds with the shim. Also: the `test`
// of webrtc-close-shim/playwright, imported from the build as users get it, applies them before the
// page's scripts, and loading one in the wrong order fails loudly.
import type { Page } from '@playwright/test';
import { expect, test, type EmulatedEngine } from '../dist/playwright.mjs';
import { NATIVE_LOCAL_CLOSE, type LocalCloseBehaviour } from './native-expectations';

// What each rule of the behaviour page gives in the WebKit an emulation stands for. From WebKit's
// Source/WebCore/Modules/mediastream/ and docs/contract.md's tables ("Safari / WebKit" column):
// - states: RTCPeerConnection::doClose() sets signaling, ICE connection and connection state to Closed.
// - transports: doClose() closes every RTCDtlsTransport (docs/contract.md: sctp, DTLS, ICE `closed`).
// - transceivers: doClose() stops every transceiver, sender and receiver; RTCRtpSender::replaceTrack()
//   rejects with InvalidStateError on a stopped sender or closed connection.
// - receiver-track: RTCRtpReceiver::stop() ends its track with StopMode::PostEvent: `ended` at once.
// - methods: createOffer() rejects, createDataChannel() and addTransceiver() throw InvalidStateError
//   once isClosed() (docs/contract.md: "same").
// - already-closed: RTCDataChannel::didChangeReadyState() returns once readyState is Closed.
// - channels before 304859@main (bug 303052): closing the backend cut their state updates, so no
//   event and readyState never changes: every rule that needs a `close` event does not hold
//   (readystate, one-close, close-twice, throwing-handler, mdn-example), and nothing fires that
//   should not (no-closing, no-error).
// - channels from 304859@main on: doClose() calls RTCDataChannelHandlerClient::peerConnectionIsClosing()
//   for each channel: `closed` at once, one `close` in its own queued task, no `closing`.
// - no-pc-events (trunk): dispatchDataChannelEvent() drops a `datachannel` once isClosed(), as do
//   updateIceGatheringState(), updateIceConnectionState() and updateNegotiationNeededFlag().
// Left out, not known: remote-abort (the README records `close` only from WebKit's WPT expectations,
// while today's LibWebRTCDataChannelHandler::checkState() reports an error first), no-late-messages,
// and no-pc-events before 304859@main. A probe added to the page later is only required to hold
// with the shim.
const BOTH = {
  states: true,
  transports: true,
  'no-closing': true,
  'no-error': true,
  'already-closed': true,
  transceivers: true,
  'receiver-track': true,
  methods: true,
};
const WEBKIT_VERDICTS: Record<EmulatedEngine, Record<string, boolean>> = {
  'safari-before-304859': {
    ...BOTH,
    'local-readystate': false,
    'received-readystate': false,
    'local-one-close': false,
    'received-one-close': false,
    'close-twice': false,
    'throwing-handler': false,
    'mdn-example': false,
  },
  'webkit-trunk': {
    ...BOTH,
    'local-readystate': true,
    'received-readystate': true,
    'local-one-close': true,
    'received-one-close': true,
    'no-pc-events': true,
    'close-twice': true,
    'throwing-handler': true,
    'mdn-example': true,
  },
};

/** What the page observes for the facts behind those verdicts. */
const WEBKIT_OBSERVED: Record<EmulatedEngine, Record<string, string>> = {
  'safari-before-304859': {
    'local-readystate': 'open → open, closing → closing, connecting → connecting',
    'local-one-close': 'open: no close within 2000 ms, closing: no close within 2000 ms, connecting: no close within 2000 ms',
    transports: 'sctp closed, dtls closed, ice closed',
    'receiver-track': 'live → ended; ended events: 1',
  },
  'webkit-trunk': {
    'local-readystate': 'open → closed, closing → closed, connecting → closed',
    'local-one-close': 'open: 1 close, closing: 1 close, connecting: 1 close',
    transports: 'sctp closed, dtls closed, ice closed',
    'receiver-track': 'live → ended; ended events: 1',
  },
};

/** The WebKit behaviours of native-expectations.ts, in order: before 304859@main, then trunk. */
const LOCAL_CLOSE: Record<EmulatedEngine, LocalCloseBehaviour> = {
  'safari-before-304859': NATIVE_LOCAL_CLOSE.webkit[0],
  'webkit-trunk': NATIVE_LOCAL_CLOSE.webkit[1],
};

interface Result {
  pass: boolean;
  observed?: string;
  detail?: string;
  error?: string;
}
interface Behaviour {
  state: string;
  engine: string;
  shim: string | null;
  /** A result is null where its rule did not run (the back/forward cache, without ?bfcache). */
  rows: Array<{ id: string; native: Result | null; shimmed: Result | null }>;
  error?: string;
}

const text = (r: Result) => `${r.pass ? 'pass' : 'FAIL'}: ${r.error ?? r.observed}${r.detail ? ` (${r.detail})` : ''}`;

async function runBehaviourPage(page: Page, emulation: EmulatedEngine): Promise<Behaviour> {
  await page.goto(`/demo/index.html?emulate=${emulation}`);
  // Each probe connects two peers in a fresh frame, natively and shimmed: about 25 s for the page,
  // up to 70 s in Firefox on a loaded 2-core machine (tests/behaviour-page.spec.ts).
  await page.waitForFunction(() => (window as any).behaviour?.state !== 'running', null, { timeout: 200_000 });
  const behaviour: Behaviour = await page.evaluate(() => (window as any).behaviour);
  expect(behaviour.state, `the page completed (${behaviour.error})`).toBe('done');
  return behaviour;
}

for (const emulation of ['safari-before-304859', 'webkit-trunk'] as const) {
  test(`behaviour page over ${emulation}: natively WebKit's verdicts, with the shim every rule holds`, async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    const behaviour = await runBehaviourPage(page, emulation);
    await testInfo.attach(`behaviour over ${emulation}.json`, {
      body: JSON.stringify(behaviour, null, 2),
      contentType: 'application/json',
    });
    expect(behaviour.engine).toContain(`emulating ${emulation}`);
    // The back/forward-cache check runs only when asked: it shows the engine's cache, which an
    // emulation does not change (tests/behaviour-page.spec.ts runs it).
    expect(behaviour.rows.filter((r) => !r.native || !r.shimmed).map((r) => r.id)).toEqual(['bfcache']);
    const ran = behaviour.rows.flatMap(({ id, native, shimmed }) => (native && shimmed ? [{ id, native, shimmed }] : []));

    const failing = ran.filter((r) => !r.shimmed.pass).map((r) => `${r.id}: ${text(r.shimmed)}`);
    expect.soft(failing, 'rules that do not hold with the shim').toEqual([]);

    const verdicts = WEBKIT_VERDICTS[emulation];
    const rows = Object.fromEntries(ran.map((r) => [r.id, r]));
    for (const id of Object.keys(verdicts)) expect(rows[id], `the page has the probe ${id}`).toBeDefined();
    for (const row of ran) {
      expect(row.native.error, `${row.id}: the native probe ran`).toBeUndefined();
      if (row.id in verdicts) expect.soft(row.native.pass, `${row.id} natively: ${text(row.native)}`).toBe(verdicts[row.id]);
    }
    for (const [id, observed] of Object.entries(WEBKIT_OBSERVED[emulation])) expect.soft(rows[id].native.observed, id).toBe(observed);
  });
}

// In the "<engine> over <emulation>" projects of playwright.config.ts (withEmulatedSafari()), which
// set the option; the engine's own projects leave these out.
test.describe('through webrtc-close-shim/playwright', { tag: '@emulated' }, () => {
  test('applies before the page’s scripts: close() gives WebKit’s channel behaviour', async ({ page, emulate }) => {
    expect(emulate, 'the project sets the emulate option').not.toBeNull();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/page?shim=none');
    await page.waitForFunction(() => (window as any).harnessReady === true);
    expect(await page.evaluate(() => (window as any)[Symbol.for('webrtc-close-shim/emulate')])).toBe(emulate);
    for (const side of ['a', 'b']) {
      const result = await page.evaluate((s) => (window as any).harness.scenarios.closeWithChannelsInEveryState(s), side);
      expect(
        {
          after: result.after,
          openChannelEvents: result.logs.open,
          closingChannelEvents: result.logs.closing,
          connectingChannelEvents: result.logs.connecting,
        },
        `side ${side}`,
      ).toEqual(LOCAL_CLOSE[emulate!]);
    }
    expect(errors).toEqual([]);
  });

  test('a second emulation throws and changes nothing', async ({ page, emulate }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/page?shim=none');
    const other = emulate === 'webkit-trunk' ? 'safari-before-304859' : 'webkit-trunk';
    await page.addScriptTag({ url: `/dist/emulate/${other}.js` });
    await expect.poll(() => errors).toEqual([expect.stringContaining(`this page already emulates ${emulate}; load one emulation only`)]);
    expect(await page.evaluate(() => (window as any)[Symbol.for('webrtc-close-shim/emulate')])).toBe(emulate);
  });
});

test('an emulation loaded after the shim throws and patches nothing', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/page?shim=iife');
  // The members an emulation patches, as the shim left them.
  await page.evaluate(() => {
    const w = window as any;
    w.members = () => [
      RTCPeerConnection,
      RTCPeerConnection.prototype.close,
      Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'readyState')!.get,
    ];
    w.membersBefore = w.members();
  });
  await page.addScriptTag({ url: '/dist/emulate/webkit-trunk.js' });
  await expect.poll(() => errors).toEqual([expect.stringContaining('load the emulation before webrtc-close-shim, not after it')]);
  const unchanged = await page.evaluate(() =>
    (window as any).members().map((member: unknown, i: number) => member === (window as any).membersBefore[i]),
  );
  expect(unchanged).toEqual([true, true, true]);
  expect(await page.evaluate(() => Symbol.for('webrtc-close-shim/emulate') in window)).toBe(false);
});
