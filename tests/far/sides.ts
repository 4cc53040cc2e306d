// The two ends of a far-side test: the near side is a page of the browser under test (with the
// shim or without), the far side is another browser's page, a server-side stack in a child
// process, or an SFU (Janus, tests/far/janus.ts). Every far side has the same interface, so each
// rule runs against each kind without copies. Signaling goes through the test, which relays only
// this machine's own IPv4 host candidates (no STUN/TURN, no mDNS names, no other address).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, firefox, type Browser, type Frame, type LaunchOptions, type Page } from '@playwright/test';
import { resolveEngines } from '../engines.mjs';

export type Engine = 'chromium' | 'firefox';
export type Stack = 'werift' | 'wrtc';
export type FarKind = Engine | Stack;
export const ENGINES: Engine[] = ['chromium', 'firefox'];
export const STACKS: Stack[] = ['werift', 'wrtc'];

/** This machine's own IPv4 addresses: the only ones a relayed description may name. */
const OWN_ADDRESSES = new Set(
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4')
    .map((a) => a!.address),
);

/** Whether `candidate` ("candidate:…" or "a=candidate:…") is a UDP host candidate on this machine's own IPv4 address. */
export function isOwnCandidate(candidate: string): boolean {
  const [, , transport, , address, , , type] = candidate.split(' ');
  return transport.toLowerCase() === 'udp' && type === 'host' && OWN_ADDRESSES.has(address);
}

/** `sdp` with only UDP host candidates on this machine's own IPv4 addresses, of which it must have one. */
export function ownCandidatesOnly(sdp: string): string {
  const kept = sdp.split('\r\n').filter((line) => !line.startsWith('a=candidate:') || isOwnCandidate(line));
  if (!kept.some((line) => line.startsWith('a=candidate:'))) throw new Error(`no candidate on this machine's own address in:\n${sdp}`);
  return kept.join('\r\n');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Launches `engine` for far-side tests (its host candidates are addresses, not mDNS names), with `more` launch options. */
export function launch(engine: Engine, more: LaunchOptions = {}): Promise<Browser> {
  const found = resolveEngines().find((e: { name: string }) => e.name === engine);
  if (!found?.available || !found.use) throw new Error(`${engine} is not installed: ${found?.why}`);
  const { launchOptions = {}, channel } = found.use;
  if (engine === 'chromium') {
    return chromium.launch({
      ...launchOptions,
      ...more,
      args: [...(launchOptions.args ?? []), '--disable-features=WebRtcHideLocalIpsWithMdns'],
    });
  }
  return firefox.launch({
    ...launchOptions,
    ...more,
    channel,
    firefoxUserPrefs: { 'media.peerconnection.ice.obfuscate_host_addresses': false },
  });
}

/** The test server (playwright.config.ts starts it). */
const BASE_URL = `http://127.0.0.1:${process.env.PORT ?? 4173}`;

/**
 * A new page of `browser` on the fixture page built from `query` (tests/server.mjs), once its
 * scripts have run, with the page errors it reports from then on.
 */
export async function fixturePage(browser: Browser, query: Record<string, string>): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.newPage({ baseURL: BASE_URL });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`/page?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
  return { page, pageErrors };
}

/** A connection in a fixture page (tests/fixtures/far.js), with or without the shim. */
export class PagePeer {
  /** `page`: the fixture page, or the fixture frame in a page without the shim. */
  private constructor(readonly page: Page | Frame) {}

  /**
   * Opens the fixture page (`shim`: none, iife, min, esm; `options`: extras) and creates the
   * connection; with `inFrame`, in an iframe of a page without the shim; with `cacheable`, served
   * without `Cache-Control: no-store`, as most pages are (Chromium keeps no no-store page in its
   * back/forward cache); with `worker` (the worker's shim: none, min, iife, esm), every channel of
   * the connection is transferred to a dedicated worker (tests/fixtures/far.js).
   */
  static async open(
    browser: Browser,
    {
      shim = 'none',
      options = '',
      channels = 0,
      prefix = 'near',
      receiver = false,
      inFrame = false,
      cacheable = false,
      worker = null as string | null,
    } = {},
  ): Promise<PagePeer> {
    const cache: Record<string, string> = cacheable ? { cacheable: '1' } : {};
    const { page } = await fixturePage(browser, inFrame ? { shim: 'none', ...cache } : { shim, options, ...cache });
    let target: Page | Frame = page;
    if (inFrame) {
      const src = `/page?${new URLSearchParams({ shim, options, ...cache })}`;
      const element = await page.evaluateHandle(
        (src) =>
          new Promise<HTMLIFrameElement>((resolve) => {
            const iframe = Object.assign(document.createElement('iframe'), { src });
            iframe.onload = () => resolve(iframe);
            document.body.append(iframe);
          }),
        src,
      );
      target = (await element.asElement()!.contentFrame())!;
      await target.waitForFunction(() => (window as any).harnessReady === true);
    }
    await target.evaluate((init) => (window as any).far.create(init), { channels, prefix, receiver, worker });
    return new PagePeer(target);
  }

  /** The page that shows this peer: its own page, or the one holding its frame. */
  get tab(): Page {
    return 'page' in this.page && typeof this.page.page === 'function' ? this.page.page() : (this.page as Page);
  }

  call<T = any>(method: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([name, rest]) => (window as any).far[name as string](...(rest as unknown[])), [method, args] as const);
  }
  offer(iceRestart = false): Promise<string> {
    return this.call('offer', { iceRestart });
  }
  /**
   * What the page recorded, with the errors its own listener saw (Playwright's pageerror in Firefox
   * also reports the engine's console error "ICE failed, add a STUN server…" of a vanished peer).
   */
  log(): Promise<FarLog> {
    return this.call('log');
  }
  dispose(): Promise<void> {
    return this.tab.close();
  }
}

/** What a page peer recorded (tests/fixtures/far.js). */
export interface FarLog {
  now: number;
  /** When its time 0 was, in ms since the epoch: `timeOrigin + t` is an event's wall-clock time. */
  timeOrigin: number;
  state: Record<string, string>;
  channels: Array<[string, string]>;
  events: Array<[number, string, string, any]>;
  messages: number;
  received: Record<string, number>;
  /** The receiver track's readyState (a connection with `receiver`), and when closed(pc) resolved (with the shim). */
  track: string | null;
  closedAt: number | null;
  pageErrors: string[];
}

/** The first of `events` (a list that grows) matching `match`, once there is one; undefined after `ms`. */
export async function firstMatch<E>(events: readonly E[], match: (event: E) => boolean, ms: number): Promise<E | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = events.find(match);
    if (found !== undefined || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The other end, whatever it is. */
export interface FarSide {
  readonly kind: FarKind | 'janus';
  answer(offer: string): Promise<string>;
  /** Opens `count` channels of its own, which the near side receives. */
  open(count: number): Promise<void>;
  send(count: number): Promise<void>;
  close(): Promise<void>;
  closeChannels(): Promise<void>;
  /** Its channels, each with the wall-clock time (ms since the epoch) of its close event, or null while open. */
  closeTimes(): Promise<Record<string, number | null>>;
  dispose(): Promise<void>;
}

export class BrowserFar implements FarSide {
  constructor(
    readonly kind: Engine,
    readonly peer: PagePeer,
  ) {}
  answer(offer: string): Promise<string> {
    return this.peer.call('answer', offer);
  }
  async open(count: number): Promise<void> {
    await this.peer.call('createChannels', count);
  }
  async send(count: number): Promise<void> {
    await this.peer.call('send', count);
  }
  async close(): Promise<void> {
    await this.peer.call('close');
  }
  async closeChannels(): Promise<void> {
    await this.peer.call('closeChannels');
  }
  async closeTimes(): Promise<Record<string, number | null>> {
    const log = await this.peer.log();
    const at = (label: string) => log.events.find(([, target, type]) => target === label && type === 'close')?.[0];
    return Object.fromEntries(log.channels.map(([label]) => [label, at(label) === undefined ? null : log.timeOrigin + at(label)!]));
  }
  dispose(): Promise<void> {
    return this.peer.dispose();
  }
}

const SERVER_PEER = fileURLToPath(new URL('./server-peer.mjs', import.meta.url));

/** A server-side stack in a child process, started here and ended by its PID. */
export class ServerFar implements FarSide {
  readonly events: Array<{ event: string; t: number; [key: string]: unknown }> = [];
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stderr = '';
  private exited: Promise<void>;

  private constructor(
    readonly kind: Stack,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.event) return void this.events.push(message);
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new Error(`${kind}: ${message.error}`));
    });
    child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    this.exited.then(() => {
      for (const { reject } of this.pending.values())
        reject(new Error(`${kind} exited (${child.signalCode ?? child.exitCode}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  static async start(kind: Stack): Promise<ServerFar> {
    const child = spawn(process.execPath, [SERVER_PEER, kind], { stdio: ['pipe', 'pipe', 'pipe'] });
    const far = new ServerFar(kind, child);
    await far.until((e) => e.event === 'ready', 20000, 'the server peer to start');
    return far;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves once an event matching `match` has been reported; rejects after `ms`. */
  async until(match: (event: { event: string; [key: string]: unknown }) => boolean, ms: number, what: string): Promise<void> {
    if (!(await firstMatch(this.events, match, ms))) throw new Error(`${this.kind}: no ${what} within ${ms} ms (${this.stderr})`);
  }

  private command<T = any>(cmd: string, args: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  async answer(offer: string): Promise<string> {
    return (await this.command<{ sdp: string }>('answer', { sdp: offer })).sdp;
  }
  async open(count: number): Promise<void> {
    await this.command('open', { count });
  }
  async send(count: number): Promise<void> {
    await this.command('send', { count });
  }
  async close(): Promise<void> {
    await this.command('close');
  }
  async closeChannels(): Promise<void> {
    await this.command('closeChannels');
  }
  async closeTimes(): Promise<Record<string, number | null>> {
    const labels = this.events.filter((e) => e.event === 'channel').map((e) => e.label as string);
    const at = (label: string) => this.events.find((e) => e.event === 'close' && e.label === label)?.at as number | undefined;
    return Object.fromEntries(labels.map((label) => [label, at(label) ?? null]));
  }

  /** The peer vanishes: killed, it sends nothing more (no SCTP ABORT, no DTLS alert). */
  async vanish(): Promise<void> {
    process.kill(this.pid, 'SIGKILL');
    await this.exited;
  }
  /** A network blip: the process stops answering anything until resume(). */
  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
  }
  resume(): void {
    process.kill(this.pid, 'SIGCONT');
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.resume();
      process.kill(this.pid, 'SIGKILL');
    }
    await this.exited;
  }
}

/** Starts a far side of `kind`: a page of another browser (in `browsers`) or a server stack. */
export async function startFar(kind: FarKind, browser: () => Promise<Browser>, shim = 'none'): Promise<FarSide> {
  if (kind === 'werift' || kind === 'wrtc') return ServerFar.start(kind);
  return new BrowserFar(kind, await PagePeer.open(await browser(), { shim, prefix: 'far' }));
}

/**
 * Connects `near` (which offers, opening `channels` channels) to `far`, which then opens
 * `farChannels` of its own; resolves once all are open on the near side. Called again on a
 * connected pair, it renegotiates (with `iceRestart`, an offer with new ICE credentials).
 */
export async function connect(
  near: PagePeer,
  far: FarSide,
  { farChannels = 0, channelsOfNear = 0, iceRestart = false } = {},
): Promise<void> {
  const answer = await far.answer(ownCandidatesOnly(await near.offer(iceRestart)));
  await near.call('accept', ownCandidatesOnly(answer));
  await near.call('waitOpen', channelsOfNear);
  if (farChannels) {
    await far.open(farChannels);
    await near.call('waitOpen', channelsOfNear + farChannels);
  }
}
