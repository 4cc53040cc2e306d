// Installing, loading twice, pages without WebRTC, uninstall, and fidelity of the patched members
// (issue 2, rule 7 and the distribution requirements).
import { expect, test, type Page } from '@playwright/test';
import { openFixture } from './helpers';

/**
 * The members the shim replaces, as [owner expression, key], and getters it must leave alone
 * (what a closed object reads is pinned on the object instead, src/lib/pin.ts).
 */
const REPLACED = [
  ['window', 'RTCPeerConnection'],
  ['RTCPeerConnection.prototype', 'constructor'],
  ['RTCPeerConnection.prototype', 'close'],
  ['RTCPeerConnection.prototype', 'createDataChannel'],
  ['RTCPeerConnection.prototype', 'getSenders'],
  ['RTCPeerConnection.prototype', 'getReceivers'],
] as const;
const MEMBERS = [
  ...REPLACED,
  ['RTCDataChannel.prototype', 'readyState'],
  ['RTCSctpTransport.prototype', 'state'],
  ['RTCDtlsTransport.prototype', 'state'],
  ['RTCIceTransport.prototype', 'state'],
  ['RTCPeerConnection.prototype', 'iceGatheringState'],
  ['RTCPeerConnection.prototype', 'localDescription'],
  ['RTCRtpSender.prototype', 'track'],
  ['RTCRtpTransceiver.prototype', 'mid'],
  ['MediaStreamTrack.prototype', 'readyState'],
] as const;

/** Saves every member's descriptor in the page under `name`. */
function snapshot(page: Page, name: string) {
  return page.evaluate(
    ([members, name]) => {
      (window as any)[name] = members.map(([owner, key]) => Object.getOwnPropertyDescriptor(eval(owner), key));
    },
    [MEMBERS, name] as const,
  );
}

/** Which members differ (by identity of value/get/set or by an attribute) between two snapshots. */
function changedMembers(page: Page, from: string, to: string): Promise<string[]> {
  return page.evaluate(
    ([members, from, to]) => {
      const a = (window as any)[from],
        b = (window as any)[to];
      const fields = ['value', 'get', 'set', 'writable', 'enumerable', 'configurable'];
      return members.filter((_, i) => fields.some((f) => a[i]?.[f] !== b[i]?.[f])).map(([o, k]) => `${o}.${k}`);
    },
    [MEMBERS, from, to] as const,
  );
}

test('two copies and repeated install() leave one installation and one close event (rule 7)', async ({ page }) => {
  const errors: string[] = [];
  await openFixture(page, { name: 'iife', shim: 'iife' }, errors);
  await snapshot(page, 'first');
  const statuses = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.src = '/dist/webrtc-close-shim.min.js';
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    const esm = await import('/dist/index.mjs' as string);
    return [esm.install(), esm.install(), (window as any).webrtcCloseShim.install()];
  });
  expect(statuses).toEqual(['already-installed', 'already-installed', 'already-installed']);
  await snapshot(page, 'second');
  expect(await changedMembers(page, 'first', 'second')).toEqual([]);
  const result = await page.evaluate(() => (window as any).harness.scenarios.closeTwice());
  expect(result.logs).toEqual([['close:closed'], ['close:closed']]);
  expect(errors).toEqual([]);
});

test('a copy of another version finds the installation, and either copy uninstalls it (issue 6, item 2)', async ({ page }) => {
  const errors: string[] = [];
  await openFixture(page, { name: 'iife', shim: 'iife' }, errors);
  const result = await page.evaluate(async () => {
    // The ESM build with another version number, as a second, different copy would be.
    const current = (window as any)[Symbol.for('webrtc-close-shim')].version;
    const source = (await (await fetch('/dist/index.mjs')).text()).split(JSON.stringify(current)).join('"9.9.9"');
    const other = await import(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const mark = Symbol.for('webrtc-close-shim');
    const w = window as any;
    const isNative = () => !(mark in w) && /\[native code\]/.test(Function.prototype.toString.call(RTCPeerConnection.prototype.close));
    const steps: unknown[] = [other.version, w[mark].version === current, other.install(), w[mark].version === current];
    steps.push(other.uninstall(), isNative(), other.uninstall());
    steps.push(other.install(), w[mark].version, w.webrtcCloseShim.uninstall(), isNative());
    return steps;
  });
  expect(result).toEqual(['9.9.9', true, 'already-installed', true, true, true, false, 'installed', '9.9.9', true, true]);
  expect(errors).toEqual([]);
});

test('install() in a page without WebRTC is a silent no-op (rule 7)', async ({ page }) => {
  const errors: string[] = [];
  await openFixture(page, { name: 'iife over no-webrtc', shim: 'iife', profile: 'no-webrtc' }, errors);
  const result = await page.evaluate(async () => {
    const esm = await import('/dist/index.mjs' as string);
    const api = (window as any).webrtcCloseShim;
    return {
      global: Object.keys(api).sort(),
      version: api.version,
      iife: api.install(),
      esm: esm.install(),
      uninstall: esm.uninstall(),
      marked: Symbol.for('webrtc-close-shim') in window,
    };
  });
  expect(result).toEqual({
    global: ['closed', 'install', 'stats', 'uninstall', 'version'],
    version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    iife: 'unsupported',
    esm: 'unsupported',
    uninstall: false,
    marked: false,
  });
  expect(errors).toEqual([]);
});

test('uninstall() restores every member exactly, from any copy, and the page is native again', async ({ page }) => {
  const errors: string[] = [];
  await openFixture(page, { name: 'native', shim: 'none' }, errors);
  await snapshot(page, 'native');
  expect(await page.evaluate(async () => (await import('/dist/index.mjs' as string)).install())).toBe('installed');
  await snapshot(page, 'installed');
  expect(await changedMembers(page, 'native', 'installed')).toEqual(REPLACED.map(([o, k]) => `${o}.${k}`));
  // The script-tag copy removes what the ESM copy installed.
  const removed = await page.evaluate(async () => {
    await new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement('script'), {
        src: '/dist/webrtc-close-shim.js',
        onload: resolve,
        onerror: reject,
      });
      document.head.append(script);
    });
    return [(window as any).webrtcCloseShim.uninstall(), (window as any).webrtcCloseShim.uninstall()];
  });
  expect(removed).toEqual([true, false]);
  await snapshot(page, 'uninstalled');
  expect(await changedMembers(page, 'native', 'uninstalled')).toEqual([]);
  const after = await page.evaluate(async () => {
    const { a, b, local } = await (window as any).harness.connect({ channels: 1 });
    a.close();
    const state = local[0].readyState;
    b.close();
    return { state, marked: Symbol.for('webrtc-close-shim') in window };
  });
  expect(after).toEqual({ state: 'open', marked: false });
  expect(errors).toEqual([]);
});

test('patched members keep name, length and attributes, and reject wrong receivers like the engine', async ({ page }) => {
  await openFixture(page, { name: 'native', shim: 'none' });
  const probe = () =>
    page.evaluate(() => {
      const describe = (owner: any, key: string) => {
        const d = Object.getOwnPropertyDescriptor(owner, key)!;
        const fn = d.value ?? d.get;
        return { name: fn.name, length: fn.length, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
      };
      const error = (fn: () => unknown) => {
        try {
          fn();
          return 'no error';
        } catch (e: any) {
          return `${e.constructor.name}: ${e.message}`;
        }
      };
      return {
        ctor: describe(window, 'RTCPeerConnection'),
        close: describe(RTCPeerConnection.prototype, 'close'),
        createDataChannel: describe(RTCPeerConnection.prototype, 'createDataChannel'),
        getSenders: describe(RTCPeerConnection.prototype, 'getSenders'),
        getReceivers: describe(RTCPeerConnection.prototype, 'getReceivers'),
        readyState: describe(RTCDataChannel.prototype, 'readyState'),
        sctpState: describe(RTCSctpTransport.prototype, 'state'),
        trackState: describe(MediaStreamTrack.prototype, 'readyState'),
        errors: [
          error(() => RTCPeerConnection.prototype.close.call({})),
          error(() => RTCPeerConnection.prototype.createDataChannel.call({}, 'x')),
          error(() => RTCPeerConnection.prototype.getSenders.call({})),
          error(() => Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'readyState')!.get!.call({})),
          error(() => Object.getOwnPropertyDescriptor(RTCSctpTransport.prototype, 'state')!.get!.call({})),
          error(() => Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'readyState')!.get!.call({})),
          error(() => (RTCPeerConnection as any)()),
          error(() => new (RTCPeerConnection.prototype.close as any)()),
        ],
        statics: typeof (RTCPeerConnection as any).generateCertificate,
        instance: (() => {
          const pc = new RTCPeerConnection();
          pc.close();
          return [
            pc instanceof RTCPeerConnection,
            pc.constructor === RTCPeerConnection,
            Object.getPrototypeOf(pc) === RTCPeerConnection.prototype,
          ];
        })(),
      };
    });
  const native = await probe();
  expect(await page.evaluate(async () => (await import('/dist/index.mjs' as string)).install())).toBe('installed');
  expect(await probe()).toEqual(native);
});

test('a subclass of RTCPeerConnection gets the contract too', async ({ page }) => {
  await openFixture(page, { name: 'esm', shim: 'esm' });
  const result = await page.evaluate(async () => {
    class Tagged extends RTCPeerConnection {
      tag = 'mine';
    }
    const {
      a,
      b,
      local: [dc],
    } = await (window as any).harness.connect({ offerer: () => new Tagged() });
    const log = (window as any).harness.record(dc);
    a.close();
    const state = dc.readyState;
    await (window as any).harness.waitUntil(() => log.length > 0, 2000, 'close event');
    await (window as any).harness.quiet();
    b.close();
    return { instance: a instanceof Tagged && a instanceof RTCPeerConnection, tag: a.tag, state, log };
  });
  expect(result).toEqual({ instance: true, tag: 'mine', state: 'closed', log: ['close:closed'] });
});

const ACCEPTED = 'settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit, endFailedConnections, closeOnPagehide';

test('bad options give a clear TypeError; a target without WebRTC is unsupported', async ({ page }) => {
  await openFixture(page, { name: 'native', shim: 'none' });
  const result = await page.evaluate(async () => {
    const { install } = await import('/dist/index.mjs' as string);
    const error = (fn: () => unknown) => {
      try {
        return fn();
      } catch (e: any) {
        return `${e.constructor.name}: ${e.message}`;
      }
    };
    return [
      error(() => install('yes')),
      error(() => install({ target: null })),
      error(() => install({ target: {} })),
      error(() => install({ stopTracksOnClose: true })),
      error(() => install({ extra: [] })),
      error(() => install({ extras: 'all' })),
      error(() => install({ extras: [true] })),
      // A function is not an extra because it is a function: install() could not use it.
      error(() => install({ extras: [(x: unknown) => x] })),
      error(() => install({ extras: [Object.assign(() => {}, { [Symbol.for('webrtc-close-shim.extra')]: 'yes' })] })),
      Symbol.for('webrtc-close-shim') in window,
    ];
  });
  const notExtras = `TypeError: webrtc-close-shim: extras must be an array of extras: ${ACCEPTED}`;
  expect(result).toEqual([
    'TypeError: webrtc-close-shim: install() takes an options object, got string',
    'TypeError: webrtc-close-shim: target must be a window object',
    'unsupported',
    // Options of 0.1 were flags: the error says what to do instead.
    'TypeError: webrtc-close-shim: unknown option "stopTracksOnClose"; an extra is imported and passed as install({ extras: [stopTracksOnClose] })',
    'TypeError: webrtc-close-shim: unknown option "extra"; did you mean extras?',
    notExtras,
    notExtras,
    notExtras,
    notExtras,
    false,
  ]);
});

test("extras are recognised by their brand, not identity: another copy's extras and endFailedConnections() called or not are accepted", async ({
  page,
}) => {
  await openFixture(page, { name: 'native', shim: 'none' });
  const result = await page.evaluate(async () => {
    const one = await import('/dist/index.mjs' as string);
    // Another URL is another module instance: another copy of the package, its own functions.
    const other = await import('/dist/index.mjs?another-copy' as string);
    const names = [
      'settlePendingOnClose',
      'stopTracksOnClose',
      'releaseHandlers',
      'recoverConnectionLimit',
      'endFailedConnections',
      'closeOnPagehide',
    ];
    const extras = [...names.map((name) => other[name]), other.endFailedConnections({ disconnectedMs: 1000 })];
    return {
      distinct: names.every((name) => one[name] !== other[name]),
      status: one.install({ extras }),
      removed: one.uninstall(),
      again: other.install({ extras: names.map((name) => one[name]) }),
    };
  });
  expect(result).toEqual({ distinct: true, status: 'installed', removed: true, again: 'installed' });
});

test('an extra’s data- attribute on the core script tag gives one console.warn naming the file to use; the extras file applies it', async ({
  page,
}) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await openFixture(page, { name: 'native', shim: 'none' });
  const load = (src: string, attribute: string) =>
    page.evaluate(
      ([src, attribute]) =>
        new Promise((resolve, reject) => {
          const script = Object.assign(document.createElement('script'), { src, onload: resolve, onerror: reject });
          script.setAttribute(attribute, '');
          document.head.appendChild(script);
        }),
      [src, attribute] as const,
    );
  await load('/dist/webrtc-close-shim.min.js', 'data-stop-tracks-on-close');
  // The core is installed all the same; the extra is not: local tracks keep running.
  const core = await page.evaluate(async () => ({
    installed: Symbol.for('webrtc-close-shim') in window,
    tracks: await (window as any).harness.scenarios.localTracks(),
  }));
  expect(warnings).toEqual(['webrtc-close-shim: data- options need webrtc-close-shim.extras.min.js; this file has no extras']);
  expect(core).toEqual({ installed: true, tracks: { afterFirst: ['live', 'live'], afterSecond: ['live', 'live'] } });
});

/**
 * Loads the extras file with `attribute` set to each of `values`, each into a fresh fixture page:
 * per value, true when it installed, or the page errors it gave.
 */
async function extrasWith(page: Page, attribute: string, values: string[]): Promise<Record<string, true | false | string[]>> {
  const results: Record<string, true | false | string[]> = {};
  for (const value of values) {
    const errors: string[] = [];
    const onError = (error: Error) => errors.push(`${error.name}: ${error.message}`);
    page.on('pageerror', onError);
    await openFixture(page, { name: 'native', shim: 'none' });
    await page.evaluate(
      ([attribute, value]) =>
        new Promise((resolve) => {
          // onload fires after the script ran, whether or not it threw.
          const script = Object.assign(document.createElement('script'), { src: '/dist/webrtc-close-shim.extras.min.js', onload: resolve });
          script.setAttribute(attribute, value);
          document.head.appendChild(script);
        }),
      [attribute, value] as const,
    );
    const installed = await page.evaluate(
      () => Symbol.for('webrtc-close-shim') in window && typeof (window as any).webrtcCloseShim === 'object',
    );
    results[value] = errors.length ? errors : installed;
    page.off('pageerror', onError);
  }
  return results;
}

test('data-end-failed-connections: empty or a number of ms installs the extra; any other value is a TypeError when the script runs, and nothing is installed', async ({
  page,
}) => {
  const results = await extrasWith(page, 'data-end-failed-connections', ['', '2000', ' 0 ', '5s', '-1', '2147483648']);
  const bad = (got: string) => [
    `TypeError: webrtc-close-shim: endFailedConnections() takes { disconnectedMs } with a number of milliseconds from 0 to 2147483647, got {"disconnectedMs":${got}}`,
  ];
  expect(results).toEqual({ '': true, '2000': true, ' 0 ': true, '5s': bad('"5s"'), '-1': bad('"-1"'), '2147483648': bad('2147483648') });
});

test('boolean extras attributes (data-close-on-pagehide, data-release-handlers): no value, their own name or "true" install the extra; any other value is a TypeError, and nothing is installed', async ({
  page,
}) => {
  for (const [attribute, key] of [
    ['data-close-on-pagehide', 'closeOnPagehide'],
    ['data-release-handlers', 'releaseHandlers'],
  ]) {
    const results = await extrasWith(page, attribute, ['', attribute, 'TRUE', 'false', '0']);
    const bad = (got: string) => [
      `TypeError: webrtc-close-shim: ${attribute} is a boolean attribute: present with no value turns ${key} on; got "${got}"`,
    ];
    expect(results, attribute).toEqual({ '': true, [attribute]: true, TRUE: true, false: bad('false'), '0': bad('0') });
  }
});
