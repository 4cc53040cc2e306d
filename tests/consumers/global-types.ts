// Type-checked by tests/node/consumers.test.mjs (moduleResolution bundler, node16, nodenext): the
// types of `window.webrtcCloseShim` for a page that loads the script tag, without importing the
// script itself (`import 'webrtc-close-shim/iife'` would put it in a bundle). The README shows this.
/// <reference types="webrtc-close-shim/iife" />

const status: 'installed' | 'already-installed' | 'unsupported' = window.webrtcCloseShim.install();
const teardown: Promise<void> = webrtcCloseShim.closed(new RTCPeerConnection());

// @ts-expect-error install() returns one of three strings, not a boolean
const wrongStatus: boolean = webrtcCloseShim.install();

export const results = [status, teardown, wrongStatus];
