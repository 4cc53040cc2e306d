// A server-side WebRTC peer for the far-side tests, run in a child process so that a test can kill
// it (SIGKILL: the peer vanishes, nothing is sent) or pause it (SIGSTOP/SIGCONT: a network blip):
//
//   node tests/far/server-peer.mjs werift|wrtc
//
// It answers the browser's offer, and takes commands as JSON lines on stdin, answering each with
// one JSON line on stdout ({ id, ok, result } or { id, ok: false, error }). Unprompted lines
// ({ event, ... }) report what happens on its side. No STUN or TURN: its host candidates only
// (the test keeps only this machine's own addresses in what it relays).
import { createInterface } from 'node:readline';

const stack = process.argv[2];
const { RTCPeerConnection } = await loadStack(stack);

async function loadStack(name) {
  if (name === 'werift') {
    const werift = await import('werift');
    // IPv4 UDP host candidates only: the test connects over this machine's own address.
    const config = { iceServers: [], iceUseIpv6: false, iceUseTcp: false, iceTcpPassive: false };
    return {
      RTCPeerConnection: class extends werift.RTCPeerConnection {
        constructor() {
          super(config);
        }
      },
    };
  }
  if (name === 'wrtc') {
    const { default: wrtc } = await import('@roamhq/wrtc');
    return {
      RTCPeerConnection: class extends wrtc.RTCPeerConnection {
        constructor() {
          super({ iceServers: [] });
        }
      },
    };
  }
  throw new Error(`unknown stack ${name}: werift or wrtc`);
}

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const started = Date.now();
// t: ms since the start; at: the wall clock, which the test shares.
const event = (type, detail) => send({ event: type, t: Date.now() - started, at: Date.now(), ...detail });

const pc = new RTCPeerConnection();
const channels = [];

function watch(dc) {
  channels.push(dc);
  event('channel', { label: dc.label });
  dc.onopen = () => event('open', { label: dc.label });
  dc.onclose = () => event('close', { label: dc.label });
  dc.onmessage = (e) => event('message', { label: dc.label, data: typeof e.data === 'string' ? e.data : null });
}
pc.ondatachannel = (e) => watch(e.channel);
pc.onconnectionstatechange = () => event('connectionstatechange', { state: pc.connectionState });

/** Resolves once `predicate()` holds, checked every 10 ms; rejects after `ms`. */
function until(predicate, ms, what) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    (function check() {
      if (predicate()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`${stack}: ${what} not within ${ms} ms`));
      setTimeout(check, 10);
    })();
  });
}

const commands = {
  /** Answers an offer (the first one, or an ICE restart), once gathering is complete. */
  async answer({ sdp }) {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await until(() => pc.iceGatheringState === 'complete', 10000, 'ICE gathering complete');
    return { sdp: pc.localDescription.sdp };
  },
  /** Opens `count` channels of its own (the browser receives them), resolving once all are open. */
  async open({ count }) {
    const opened = [];
    for (let i = 0; i < count; i++) opened.push(pc.createDataChannel(`${stack}${i}`));
    opened.forEach(watch);
    await until(() => opened.every((dc) => dc.readyState === 'open'), 10000, `${count} channels open`);
    return {};
  },
  /** Sends `count` messages on every open channel, without waiting: messages in flight. */
  send({ count }) {
    for (const dc of channels) if (dc.readyState === 'open') for (let i = 0; i < count; i++) dc.send(`m${i}`);
    return {};
  },
  closeChannels() {
    for (const dc of channels) dc.close();
    return {};
  },
  async close() {
    await pc.close();
    return {};
  },
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, cmd, ...args } = JSON.parse(line);
  try {
    if (!Object.hasOwn(commands, cmd)) throw new Error(`unknown command ${cmd}`);
    send({ id, ok: true, result: await commands[cmd](args) });
  } catch (error) {
    send({ id, ok: false, error: String((error && error.stack) || error) });
  }
});
// The test ends the process by its PID; a closed stdin (the test runner gone) ends it too.
process.stdin.on('end', () => process.exit(0));
event('ready', { stack, pid: process.pid });
