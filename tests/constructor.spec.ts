// The constructor the shim puts in place of RTCPeerConnection reads as the engine's own (issue #27,
// item 6): what WPT's webrtc/idlharness.https.window.html checks of an interface object (its name
// and length, own properties and their attributes, its [[Prototype]] EventTarget, its `prototype`,
// the window property) and Function.prototype.toString(), with every build, minified or not, and
// with a bundler's minified output (esbuild renames every function it can).
import { expect, test } from '@playwright/test';
import { openFixture } from './helpers';

/** How each build is loaded into a page that has captured the engine's constructor first. */
const BUILDS: Array<{ name: string; load: string }> = [
  { name: 'script tag', load: '/dist/webrtc-close-shim.js' },
  { name: 'script tag, minified', load: '/dist/webrtc-close-shim.min.js' },
  { name: 'extras script tag, minified', load: '/dist/webrtc-close-shim.extras.min.js' },
  { name: 'ESM install()', load: '/dist/index.mjs' },
  { name: 'bundled and minified by esbuild', load: '/bundle/shim-min.js' },
];

/** What a page can tell of a constructor, with `native` captured before the shim loaded. */
function describe(ctor: any, native: any) {
  const descriptors = Object.getOwnPropertyDescriptors(ctor);
  const nativeDescriptors = Object.getOwnPropertyDescriptors(native);
  const own = Reflect.ownKeys(descriptors).map(String);
  let called: string;
  try {
    ctor();
    called = 'no throw';
  } catch (e: any) {
    called = `${e.constructor === TypeError ? 'TypeError' : e.name}: ${e.message}`;
  }
  const global = Object.getOwnPropertyDescriptor(window, 'RTCPeerConnection')!;
  return {
    name: ctor.name,
    length: ctor.length,
    typeof: typeof ctor,
    own,
    // Each own property the same value and attributes as the engine's (generateCertificate included).
    sameDescriptors: own.every((key) => {
      const [a, b] = [descriptors[key], nativeDescriptors[key]];
      return (
        !!b &&
        a.value === b.value &&
        a.get === b.get &&
        a.writable === b.writable &&
        a.enumerable === b.enumerable &&
        a.configurable === b.configurable
      );
    }),
    prototypeOfIsEventTarget: Object.getPrototypeOf(ctor) === EventTarget,
    prototype: ctor.prototype === native.prototype,
    constructorBack: ctor.prototype.constructor === ctor,
    toString: Function.prototype.toString.call(ctor).replace(/\s+/g, ' '),
    calledWithoutNew: called,
    global: { writable: global.writable, enumerable: global.enumerable, configurable: global.configurable },
  };
}

for (const build of BUILDS) {
  test(`the constructor reads as the engine's, ${build.name}`, async ({ page }) => {
    const pageErrors: string[] = [];
    await openFixture(page, { name: 'native', shim: 'none' }, pageErrors);
    const result = await page.evaluate(
      async ({ load, describeSource }) => {
        const describeIn = new Function(`return (${describeSource})`)();
        const native = RTCPeerConnection;
        const before = describeIn(native, native);
        if (load.endsWith('.mjs')) (await import(load)).install();
        else
          await new Promise((resolve, reject) =>
            document.head.append(Object.assign(document.createElement('script'), { src: load, onload: resolve, onerror: reject })),
          );
        const pc = new RTCPeerConnection();
        class Sub extends RTCPeerConnection {}
        const sub = new Sub();
        const { closed } = await import('/dist/index.mjs' as string);
        pc.close();
        sub.close();
        await Promise.all([closed(pc), closed(sub)]);
        return {
          installed: Symbol.for('webrtc-close-shim') in window,
          replaced: RTCPeerConnection !== native,
          before,
          after: describeIn(RTCPeerConnection, native),
          instances: [pc instanceof RTCPeerConnection, pc instanceof native, sub instanceof Sub, pc.constructor === RTCPeerConnection],
          statics: (RTCPeerConnection as any).generateCertificate === (native as any).generateCertificate,
        };
      },
      { load: build.load, describeSource: describe.toString() },
    );
    expect(result.installed).toBe(true);
    expect(result.replaced, 'the shim wraps the constructor').toBe(true);
    // Function.prototype.toString() of a proxy is the engine's text for a native function without
    // its name: as far as a wrapper can go (no script can make it name the interface).
    expect({ ...result.after, toString: undefined }).toEqual({ ...result.before, toString: undefined });
    expect(result.before.toString).toBe('function RTCPeerConnection() { [native code] }');
    expect(result.after.toString).toBe('function () { [native code] }');
    expect(result.before.own).toContain('generateCertificate');
    expect(result.instances).toEqual([true, true, true, true]);
    expect(result.statics).toBe(true);
    expect(pageErrors).toEqual([]);
  });
}
