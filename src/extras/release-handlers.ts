// Extra releaseHandlers: once a closed connection's close events have been delivered, clear the
// on… handler attributes of the connection and of its channels, so that application objects
// captured by those handlers can be collected even while the application still keeps the closed
// connection (in a map, say). Listeners added with addEventListener cannot be reached without
// wrapping addEventListener itself, which the shim does not do.

import type { Concern } from '../context';
import { handlerNames } from '../lib/handlers';

export const releaseHandlers: Concern = ({ win, registry, dispatcher }) => {
  const connectionHandlers = handlerNames(win.RTCPeerConnection.prototype);
  const channelHandlers = handlerNames(win.RTCDataChannel.prototype);
  const clear = (target: object, names: string[]) => {
    for (const name of names) (target as Record<string, unknown>)[name] = null;
  };
  return {
    close(pc) {
      const channels = Array.from(registry.connection(pc)!.channels);
      // Queued after the channels' close task (extras run after the core), so the handlers run first.
      return () =>
        dispatcher.queueTask(() => {
          clear(pc, connectionHandlers);
          for (const dc of channels) clear(dc, channelHandlers);
        });
    },
  };
};
