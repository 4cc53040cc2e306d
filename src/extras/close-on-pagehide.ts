// Extra closeOnPagehide: close the window's connections on every pagehide, also when the page
// enters the back/forward cache.
//
// A page with an open RTCPeerConnection is never kept in the back/forward cache (Chromium 156's
// notRestoredReasons: "rtc"; Firefox ESR 153 decides before pagehide runs). Closed from `pagehide`,
// Chromium keeps it, and `pageshow` with `persisted` true tells the page it is back, with every
// connection closed, to reconnect. The core already closes them when the page is not kept
// (concerns/unload.ts); this extra only widens that rule, on the same listener.

import type { Concern } from '../context';

export const closeOnPagehide: Concern = () => ({
  pagehide: () => true,
});
