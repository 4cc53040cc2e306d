// A page that goes away closes its connections, so that the other peer learns at once.
//
// webrtc-pc (PR #2552, "Close peer connections on page unload"): when a document is unloaded, each
// of its connections is closed as by close(), which the other peer sees. Deviation corrected:
// Chromium 156 closes them on navigation, reload and iframe removal, but sends nothing when a tab
// or window is closed: the other peer's channels stay open (in Chromium, for good; elsewhere until
// its DTLS or ICE failure, ~16-30 s), although the page gets its `pagehide`. Firefox ESR 153 sends
// its resets and ABORT in every case. So the shim closes every open connection of the window
// through its own close() (tracking.ts) when the window's `pagehide` says the page is not kept
// (`persisted` false: closed, navigated, reloaded, an iframe removed or navigated); a page kept in
// the back/forward cache keeps its connections unless the closeOnPagehide extra says otherwise.
//
// The shim's listener is the window's own, added at install() and not capturing: the page's
// pagehide listeners added before install() (and, in engines that run capturing listeners first at
// the target, such as Firefox, its capturing ones) still see the connections open and can send a
// goodbye; those added later find them closed, and their send() is dropped (Chromium 156 and Firefox
// ESR 153 do not throw: docs/contract.md). Connections the shim does not know (made before
// install() with no channel created since) are left to the engine.

import type { Concern } from '../context';

export const unload: Concern = () => ({
  pagehide: (event) => !event.persisted,
});
