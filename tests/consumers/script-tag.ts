// Type-checked by tests/node/consumers.test.mjs with tsc --strict and noUncheckedSideEffectImports
// against the installed package, as script-tag.ts (moduleResolution bundler) and copied to
// script-tag.mts and script-tag.cts (node16, nodenext): the script-tag and emulation entries resolve
// to declarations, and importing the script tag declares `window.webrtcCloseShim` with the types
// of the module's own exports. Each @ts-expect-error must stay an error.
import 'webrtc-close-shim/iife';
import 'webrtc-close-shim/iife/extras';
import 'webrtc-close-shim/emulate/safari-before-304859';
import 'webrtc-close-shim/emulate/webkit-trunk';
import type * as shim from 'webrtc-close-shim';

const status: shim.InstallStatus = window.webrtcCloseShim.install({ extras: [] });
const removed: boolean = webrtcCloseShim.uninstall();
const counts: shim.Stats | undefined = globalThis.webrtcCloseShim.stats(window);
const teardown: Promise<void> = webrtcCloseShim.closed(new RTCPeerConnection());
const v: string = webrtcCloseShim.version;
// Exactly the module's types, both ways.
const fromModule: Pick<typeof shim, 'install' | 'uninstall' | 'stats' | 'closed' | 'version'> = webrtcCloseShim;
const fromGlobal: typeof webrtcCloseShim = fromModule;

// @ts-expect-error install() returns one of three strings, not a boolean
const wrongStatus: boolean = webrtcCloseShim.install();
// @ts-expect-error the extras are the module's exports; the script tag picks them with data- attributes
const extra = webrtcCloseShim.releaseHandlers;
// @ts-expect-error closed() takes a connection
const notAConnection = webrtcCloseShim.closed('pc');

export const results = [status, removed, counts, teardown, v, fromGlobal];
export const wrong = [wrongStatus, extra, notAConnection];
