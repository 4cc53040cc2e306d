// An SFU at the far side: the Janus WebRTC Server (Debian's `janus` package), started by the test
// as a child process with a configuration generated in a temporary folder and ended by its PID.
// Only what the tests use is loaded: the HTTP transport, bound to 127.0.0.1 on a free port, and
// the echotest plugin, which answers the browser's offer and echoes what arrives on each data
// channel on a channel of the same label. ICE runs on this machine's own IPv4 addresses only (Janus
// 1.1.2 offers no 127.0.0.1 candidate, not even with `ice_enforce_list` = `lo`, and Chromium offers
// none either): no STUN, no TURN, no IPv6.
//
// One JanusServer holds any number of sessions; each JanusFar is one session with one echotest
// handle, one connection, and a long-poll loop that records what Janus reports for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstMatch, freePort, type FarSide } from './sides';

const JANUS = '/usr/bin/janus';
/** Debian's own configuration, read only for where the package installed its plugins and transports. */
const DEBIAN_CONFIG = '/etc/janus/janus.jcfg';
/** How long Janus may take to answer its HTTP API after it starts (it generates a certificate first). */
const START_MS = 10_000;
/** How long a request to the HTTP API, or the answer to an offer, may take. */
const REQUEST_MS = 10_000;

/** What Janus reported on a session's long poll, with when it arrived (Date.now()). */
export interface JanusEvent {
  t: number;
  janus: string;
  sender?: number;
  transaction?: string;
  reason?: string;
  jsep?: { type: string; sdp: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  [key: string]: unknown;
}

/** One folder of Debian's janus.jcfg (plugins_folder, transports_folder), or a clear error. */
function debianFolder(key: string): string {
  if (!existsSync(JANUS) || !existsSync(DEBIAN_CONFIG)) throw new Error('Janus is not installed: apt-get install -y janus');
  const folder = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(readFileSync(DEBIAN_CONFIG, 'utf8'))?.[1];
  if (!folder) throw new Error(`no ${key} in ${DEBIAN_CONFIG}`);
  return folder;
}

/** This machine's own IPv4 addresses other than loopback: the only ones Janus gathers on. */
function ownAddresses(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  if (!addresses.length) throw new Error('this machine has no IPv4 address other than loopback for Janus to use');
  return addresses;
}

/** The configuration files, by name: the core, the HTTP transport, the echotest plugin. */
function configuration(folder: string, port: number): Record<string, string> {
  return {
    'janus.jcfg': `general: {
  configs_folder = "${folder}"
  plugins_folder = "${folder}/plugins"
  transports_folder = "${folder}/transports"
  events_folder = "${folder}/none"
  loggers_folder = "${folder}/none"
  debug_colors = false
  debug_timestamps = true
}
media: {
  ipv6 = false
}
nat: {
  ice_enforce_list = "${ownAddresses().join(',')}"
}
`,
    'janus.transport.http.jcfg': `general: {
  json = "compact"
  base_path = "/janus"
  http = true
  port = ${port}
  ip = "127.0.0.1"
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
`,
    'janus.plugin.echotest.jcfg': 'general: {\n  events = false\n}\n',
  };
}

/** A Janus process of its own, with its temporary configuration folder. */
export class JanusServer {
  private log = '';
  /** How the process ended (its signal or exit code, or why it did not start); null while it runs. */
  private ended: string | null = null;
  private readonly exited: Promise<void>;
  private nextTransaction = 1;

  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    readonly api: string,
  ) {
    // The last part of its log, for the errors below.
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(void (this.ended = String(signal ?? code))));
      child.on('error', (error) => resolve(void (this.ended = error.message)));
    });
  }

  /** Starts Janus and waits (bounded) until its HTTP API answers. */
  static async start(): Promise<JanusServer> {
    const plugins = debianFolder('plugins_folder');
    const transports = debianFolder('transports_folder');
    const folder = await mkdtemp(join(tmpdir(), 'janus-'));
    for (const sub of ['plugins', 'transports', 'none']) await mkdir(join(folder, sub));
    await symlink(join(plugins, 'libjanus_echotest.so'), join(folder, 'plugins', 'libjanus_echotest.so'));
    await symlink(join(transports, 'libjanus_http.so'), join(folder, 'transports', 'libjanus_http.so'));
    const port = await freePort();
    for (const [name, text] of Object.entries(configuration(folder, port))) await writeFile(join(folder, name), text);
    const child = spawn(JANUS, ['--config', join(folder, 'janus.jcfg'), '--configs-folder', folder], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new JanusServer(child, folder, `http://127.0.0.1:${port}/janus`);
    const deadline = Date.now() + START_MS;
    for (;;) {
      if (server.ended !== null) {
        await server.dispose();
        throw new Error(`Janus ended (${server.ended}) while starting:\n${server.log}`);
      }
      if (
        await fetch(`${server.api}/info`).then(
          (response) => response.ok,
          () => false,
        )
      )
        return server;
      if (Date.now() > deadline) {
        await server.dispose();
        throw new Error(`Janus's HTTP API did not answer within ${START_MS} ms:\n${server.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** What Janus logged last (its stdout and stderr). */
  get output(): string {
    return this.log;
  }

  /**
   * One Janus API request (`path` under the API's base, e.g. "/123" for a session), resolved with
   * Janus's reply; a Janus error, or no reply within REQUEST_MS, rejects.
   */
  async request<T = any>(path: string, body: Record<string, unknown>): Promise<T> {
    const transaction = `t${this.nextTransaction++}`;
    const response = await fetch(`${this.api}${path}`, {
      method: 'POST',
      body: JSON.stringify({ ...body, transaction }),
      signal: AbortSignal.timeout(REQUEST_MS),
    });
    const reply = await response.json();
    if (reply.janus === 'error') throw new Error(`Janus ${body.janus} ${path}: ${reply.error.code} ${reply.error.reason}`);
    return reply;
  }

  /** A new session with an echotest handle, its events recorded from now on. */
  async attach(): Promise<JanusFar> {
    const session = (await this.request('', { janus: 'create' })).data.id as number;
    const handle = (await this.request(`/${session}`, { janus: 'attach', plugin: 'janus.plugin.echotest' })).data.id as number;
    return new JanusFar(this, session, handle);
  }

  /** Janus vanishes: killed, it sends nothing more (no SCTP ABORT, no DTLS alert). */
  async kill(): Promise<void> {
    if (this.ended === null) process.kill(this.child.pid!, 'SIGKILL');
    await this.exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** One Janus session with one echotest handle: a far side. */
export class JanusFar implements FarSide {
  readonly kind = 'janus';
  readonly events: JanusEvent[] = [];
  private readonly polling = new AbortController();
  /** Why the long poll ended, once it has. */
  private pollEnded = '';

  constructor(
    readonly server: JanusServer,
    readonly session: number,
    readonly handle: number,
  ) {
    void this.poll();
  }

  /**
   * Janus's long poll for the session, as its own janus.js does (each poll also counts as a
   * keepalive, so the session does not time out). It stops when the session or the process is
   * gone, or at dispose().
   */
  private async poll(): Promise<void> {
    while (!this.polling.signal.aborted) {
      let batch: JanusEvent[];
      try {
        const response = await fetch(`${this.server.api}/${this.session}?maxev=10&rid=${Date.now()}`, { signal: this.polling.signal });
        batch = await response.json();
      } catch (error) {
        // Janus was killed, the session destroyed (a 404 with no body), or dispose() stopped the poll.
        this.pollEnded = String(error);
        return;
      }
      const t = Date.now();
      for (const event of batch) if (event.janus !== 'keepalive') this.events.push({ ...event, t });
    }
  }

  /** The first event matching `match`, once Janus has reported it; rejects after `ms`. */
  async until(match: (event: JanusEvent) => boolean, ms: number, what: string): Promise<JanusEvent> {
    const found = await firstMatch(this.events, match, ms);
    if (!found) {
      const polling = this.pollEnded ? `its long poll ended: ${this.pollEnded}` : 'still polling';
      throw new Error(`Janus reported no ${what} within ${ms} ms (${JSON.stringify(this.reported())}; ${polling}):\n${this.server.output}`);
    }
    return found;
  }

  /** What Janus reported from `since` (Date.now()) on, without descriptions: [ms since then, event, reason or echotest result]. */
  reported(since = 0): Array<[number, string, string]> {
    return this.events.filter((e) => e.t >= since).map((e) => [e.t - since, e.janus, String(e.reason ?? e.plugindata?.data.result ?? '')]);
  }

  /** Janus ended the connection (its `hangup` event, with the reason), waited for at most `ms`. */
  hungUp(ms: number): Promise<JanusEvent> {
    return this.until((e) => e.janus === 'hangup', ms, 'hangup');
  }

  private get handlePath(): string {
    return `/${this.session}/${this.handle}`;
  }

  async answer(offer: string): Promise<string> {
    // All candidates are in the offer (gathering was complete): no trickle follows.
    const { transaction } = await this.server.request(this.handlePath, {
      janus: 'message',
      body: {},
      jsep: { type: 'offer', sdp: offer, trickle: false },
    });
    const reply = await this.until((e) => e.transaction === transaction && e.janus === 'event', REQUEST_MS, 'answer');
    if (!reply.jsep) throw new Error(`Janus's echotest answered without a description: ${JSON.stringify(reply.plugindata)}`);
    return reply.jsep.sdp;
  }

  /** The `hangup` request: Janus ends the connection, the handle stays. */
  async hangup(): Promise<void> {
    await this.server.request(this.handlePath, { janus: 'hangup' });
  }
  /** The far side's close: Janus hangs up. */
  close(): Promise<void> {
    return this.hangup();
  }
  /** The `detach` request: the handle goes, and its connection with it. */
  async detach(): Promise<void> {
    await this.server.request(this.handlePath, { janus: 'detach' });
  }
  /** The `destroy` request: the session goes, with its handles and their connections. */
  async destroy(): Promise<void> {
    await this.server.request(`/${this.session}`, { janus: 'destroy' });
  }

  // The echotest plugin only answers and echoes: it has no request to open, send on or close a channel.
  open(): Promise<void> {
    return Promise.reject(new Error("Janus's echotest opens no channel of its own: it echoes on the channels it receives"));
  }
  send(): Promise<void> {
    return Promise.reject(new Error("Janus's echotest sends only the echo of what it receives: send from the near side"));
  }
  closeChannels(): Promise<void> {
    return Promise.reject(new Error("Janus's echotest has no request to close a channel"));
  }

  /** Janus reports no channel of its own: its `hangup` (when it came, or null) stands for every channel. */
  async closeTimes(): Promise<Record<string, number | null>> {
    const hangup = this.events.find((e) => e.janus === 'hangup');
    return { hangup: hangup ? hangup.t : null };
  }

  /** Stops the long poll; the server's dispose() ends the session with the process. */
  async dispose(): Promise<void> {
    this.polling.abort();
  }
}
