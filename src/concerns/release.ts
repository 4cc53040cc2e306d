// releaseHandlers (beyond the spec, off by default): once a closed connection's last close event
// has been delivered, clear the on… handler attributes of the connection and of its channels, so
// that application objects captured by those handlers can be collected even while the application
// still keeps the closed connection (in a map, say). Listeners added with addEventListener cannot
// be reached without wrapping addEventListener itself, which the shim does not do.

import type { Concern } from '../context';

const HANDLERS: Record<'connection' | 'channel', string[]> = {
  connection: ['onicecandidate', 'onicecandidateerror', 'ontrack', 'ondatachannel', 'onnegotiationneeded', 'onsignalingstatechange',
    'oniceconnectionstatechange', 'onconnectionstatechange', 'onicegatheringstatechange'],
  channel: ['onopen', 'onmessage', 'onbufferedamountlow', 'onerror', 'onclosing', 'onclose'],
};

export const release: Concern = ({ registry, dispatcher, options }) => {
  if (!options.releaseHandlers) return {};
  const clear = (target: object, names: string[]) => {
    for (const name of names) if (name in target) (target as Record<string, unknown>)[name] = null;
  };
  return {
    close(pc) {
      const channels = Array.from(registry.connection(pc)!.channels);
      // Queued after the channels' close task (concerns run in order), so the handlers run first.
      return () =>
        dispatcher.queueTask(() => {
          clear(pc, HANDLERS.connection);
          for (const dc of channels) clear(dc, HANDLERS.channel);
        });
    },
  };
};
