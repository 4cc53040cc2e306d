// Playwright fixtures of the far-side tests (tests/far.spec.ts, tests/janus.spec.ts, tests/libraries.spec.ts).
import { test as base, type Browser } from '@playwright/test';
import { PeerServer } from 'peer';
import { WebSocketServer, type ServerOptions } from 'ws';
import { ENGINES, freePort, isOwnCandidate, launch, type Engine } from './sides';

/**
 * A PeerJS message on its way to a client, with only this machine's own IPv4 host candidates
 * (PeerJS trickles: a description may carry none); null for a candidate to drop.
 */
function ownCandidatesIn(message: string): string | null {
  const parsed = JSON.parse(message);
  const payload = parsed.payload ?? {};
  if (payload.candidate?.candidate && !isOwnCandidate(payload.candidate.candidate)) return null;
  if (typeof payload.sdp?.sdp === 'string') {
    payload.sdp.sdp = payload.sdp.sdp
      .split('\r\n')
      .filter((line: string) => !line.startsWith('a=candidate:') || isOwnCandidate(line))
      .join('\r\n');
  }
  return JSON.stringify(parsed);
}

/** Launch options for Chromium as users run it: Playwright's --disable-back-forward-cache left out (Firefox has no such switch). */
export const WITH_CACHE = { ignoreDefaultArgs: ['--disable-back-forward-cache'] };

export const test = base.extend<
  {
    /** The engine under test (the project's); the test is skipped for an engine these tests cannot launch. */
    near: Engine;
    /** What the test started (far sides, pages), ended after it whatever its outcome. */
    ends: Array<{ dispose(): Promise<void> }>;
  },
  {
    /**
     * Chromium with its back/forward cache on, as users run it (Playwright turns it off with
     * --disable-back-forward-cache): `test.use({ backForwardCache: true })` in the specs where a page leaves.
     */
    backForwardCache: boolean;
    browsers: (engine: Engine) => Promise<Browser>;
    /** The port of a PeerJS server (the `peer` package) on 127.0.0.1, relaying only own-address candidates. */
    peerServer: number;
  }
>({
  backForwardCache: [false, { scope: 'worker', option: true }],
  browsers: [
    async ({ backForwardCache }, use) => {
      const launched = new Map<Engine, Promise<Browser>>();
      await use((engine) => {
        if (!launched.has(engine)) launched.set(engine, launch(engine, backForwardCache ? WITH_CACHE : {}));
        return launched.get(engine)!;
      });
      for (const browser of launched.values()) await (await browser).close();
    },
    { scope: 'worker' },
  ],
  peerServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
    async ({}, use) => {
      const port = await freePort();
      let http: { close(callback: () => void): void } | undefined;
      const createWebSocketServer = (options: ServerOptions) => {
        const wss = new WebSocketServer(options);
        // Before the server's own listener: every message it sends a client goes through this.
        wss.on('connection', (socket) => {
          const send = socket.send.bind(socket) as (data: string, ...rest: unknown[]) => void;
          socket.send = ((data: string, ...rest: unknown[]) => {
            const kept = ownCandidatesIn(String(data));
            if (kept !== null) send(kept, ...rest);
          }) as typeof socket.send;
        });
        return wss;
      };
      await new Promise<void>((resolve) => {
        PeerServer({ host: '127.0.0.1', port, path: '/', createWebSocketServer }, (server) => {
          http = server;
          resolve();
        });
      });
      await use(port);
      await new Promise<void>((resolve) => http!.close(() => resolve()));
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
  near: async ({}, use, testInfo) => {
    const engine = testInfo.project.name as Engine;
    test.skip(!ENGINES.includes(engine), `far-side tests launch Chromium or Firefox with mDNS host obfuscation off; not ${engine}`);
    await use(engine);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
  ends: async ({}, use) => {
    const ends: Array<{ dispose(): Promise<void> }> = [];
    await use(ends);
    await Promise.all(ends.map((end) => end.dispose().catch(() => {})));
  },
});
