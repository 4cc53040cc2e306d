// Extra closeOnPagehide: close the window's connections on every pagehide, also when the page
// enters the back/forward cache.
//
// A page with an open RTCPeerConnection is never kept in the back/forward cache (Chromium 156's
// notRestoredReasons: "rtc"; Firefox ESR 153 decides before pagehide runs). Closed from `pagehide`,
// Chromium keeps it, and `pageshow` with `persisted` true tells the page it is back, with every
// connection closed, to reconnect. The core already closes them when the page is not kept
// (concerns/unload.ts); this extra only widens that rule, on the same listener.
//
// An app that reconnects from a channel's onclose does so when the shim runs its close events,
// as the page is frozen: until the next pageshow, what it opens is closed too before the page is
// frozen (tracking.ts), so that no connection survives into the cache half-negotiated. A page
// restored from the cache finds every connection closed, and reconnects from pageshow.

import type { Concern } from '../context';

export const closeOnPagehide: Concern = ({ win, dispatcher, patch }) => {
  let leaving = false;
  const back = () => (leaving = false);
  dispatcher.listen(win, ['pageshow'], back, false);
  patch.onRestore(() => dispatcher.unlisten(win, ['pageshow'], back, false));
  return {
    pagehide: () => (leaving = true),
    freeze: () => leaving,
  };
};
