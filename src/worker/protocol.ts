// What the page half (concerns/workers.ts) and the worker half (worker/install.ts) of the shim say
// to each other about the data channels a page transferred to a dedicated worker.
//
// The worker's shim posts one hello on the worker's own channel (self.postMessage): a plain object
// whose only key is BRAND, carrying a MessagePort. The page's shim takes it off the Worker before
// any listener of the page (and only a message of exactly that shape, with one port); everything
// else travels on that private port, so the page's and the worker's code never see a message of
// the shim's and their payloads are untouched. Structured clone drops symbols, hence a string key.
//
// On the port, arrays whose first item says what they are:
//   page → worker  [WELCOME]               the page's shim took the hello (sent first: every later
//                                          transfer to this worker is noted)
//                  [NOTE, n, fingerprint]  channel n of the page was transferred to this worker
//                  [CLOSED, [n, …]]        their connection was closed locally (pc.close())
//                  [ANSWER, n, verdict]    what ended it (LOCAL, REMOTE or PASS), asked by the worker
//                  [SYNC]                  the answer to the worker's SYNC: every note before it is sent
//   worker → page  [ACK, n]                its one `close` has been dispatched (or it had ended already)
//                  [ASK, n, type]          the engine fired `type` (closing, error, close): why?
//                  [ENDED, n]              it ended on its own (the worker's dc.close(), the far side,
//                                          or the engine's close came before the note)
//                  [SYNC]                  the engine ended a channel the page has not noted (yet)
//
// The port and the worker's own channel are separate queues: a note can reach the worker after the
// channel it names, and after the engine's events on it (Firefox ESR 153).

export const BRAND = 'webrtc-close-shim';
export const NOTE = 0;
export const CLOSED = 1;
export const ANSWER = 2;
export const ACK = 3;
export const ASK = 4;
export const ENDED = 5;
export const WELCOME = 6;
export const SYNC = 7;
export const LOCAL = 0;
export const REMOTE = 1;
export const PASS = 2;

/**
 * What identifies a channel across a transfer: the transferred object is a new one in the worker.
 * `id` is null until the channel is negotiated; two fingerprints differing only there match.
 */
export type Fingerprint = [string, string, boolean, boolean, number | null, number | null, number | null];

export const fingerprint = (dc: RTCDataChannel): Fingerprint => [
  dc.label,
  dc.protocol,
  dc.ordered,
  dc.negotiated,
  dc.id,
  dc.maxPacketLifeTime,
  dc.maxRetransmits,
];

export const sameChannel = (a: Fingerprint, b: Fingerprint): boolean =>
  a.every((value, i) => value === b[i] || (i === 4 && (value === null || b[i] === null)));
