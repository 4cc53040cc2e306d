// The contract probes of webrtc-close-shim: one per rule of the contract (docs/contract.md), in plain browser
// JavaScript (no build step, no imports). Loaded by the behaviour page (demo/index.html, for the
// list) and by each probe frame (demo/probe.html, which runs one probe, with or without the shim,
// and posts its result to the page). Every probe resolves with
//   { pass: boolean, observed: string, detail?: string }
// where `observed` says what this engine did in words that stay the same from run to run (it goes
// into docs/behaviour.md) and `detail` holds what may vary (counts, timings). Every wait is bounded
// and says what it was waiting for; a probe that throws is shown with its error.
(function () {
  'use strict';

  /** How long a probe waits for an event that should come (the slowest native close seen: <50 ms). */
  var WAIT_MS = 2000;
  /** After the last expected event: how long to watch for events that should not come. */
  var QUIET_MS = 300;
  /**
   * Connecting two peers in one page takes well under a second, but far longer on a busy machine:
   * a probe waits for the channels to open or for the engine to give up on the connection (ICE
   * `failed`: ~16 s in Chromium 156, ~30 s in Firefox ESR 153 for a peer that vanished), and at
   * most this long, so that it reports what it saw before the behaviour page gives up on its frame
   * (30 s, demo/behaviour.js).
   */
  var CONNECT_MS = 25000;
  /**
   * "At once", for a page that goes away: the other peer's channels end within this long (the
   * target of issue #22; natively ~20-30 ms when an iframe is removed).
   */
  var GONE_MS = 1000;

  var PC_EVENTS = [
    'icecandidate',
    'icecandidateerror',
    'track',
    'datachannel',
    'negotiationneeded',
    'signalingstatechange',
    'iceconnectionstatechange',
    'connectionstatechange',
    'icegatheringstatechange',
  ];

  // ---- waiting, bounded ----

  /** Resolves true once `predicate()` holds (checked every 5 ms), false after `ms`. */
  function settle(predicate, ms) {
    return new Promise(function (resolve) {
      var deadline = Date.now() + ms;
      (function check() {
        if (predicate()) return resolve(true);
        if (Date.now() > deadline) return resolve(false);
        setTimeout(check, 5);
      })();
    });
  }

  /** Like settle(), but rejects with `what` in the message after `ms`. */
  function waitUntil(predicate, ms, what) {
    return settle(predicate, ms).then(function (ok) {
      if (!ok) throw new Error('timed out after ' + ms + ' ms waiting for ' + what);
    });
  }

  /** An observation window: events the engine had already queued arrive within it. */
  function quiet(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms || QUIET_MS);
    });
  }

  // ---- two connected peers in this frame ----

  function gathered(pc) {
    return waitUntil(
      function () {
        return pc.iceGatheringState === 'complete';
      },
      CONNECT_MS,
      'ICE gathering to complete',
    );
  }

  /** Offer/answer without trickle ICE (each description sent once gathering is complete). */
  async function negotiate(a, b) {
    await a.setLocalDescription(await a.createOffer());
    await gathered(a);
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await gathered(b);
    await a.setRemoteDescription(b.localDescription);
  }

  /**
   * Two connections `a` and `b`; `a` creates `count` channels named `labels` (or dc0, dc1, ...),
   * `before(a, b)` runs before negotiating; `a` belongs to `window` (a frame's) if given. Resolves
   * once every channel is open on both sides, with `remote` (b's received channels) in the same
   * order as `local`. Setting up is not what a probe tests: a pair whose ICE the engine gave up on
   * first (Firefox ESR 153 beside two CPU hogs, after 5 s) is closed and made again, once, after
   * telling onRetry (the probe frame's page then gives it as long again).
   */
  async function connect(count, options) {
    try {
      return await connectOnce(count, options || {});
    } catch (error) {
      if (!error.iceFailed) throw error;
      if (window.closeShimProbes.onRetry) window.closeShimProbes.onRetry();
      return connectOnce(count, options || {});
    }
  }

  async function connectOnce(count, options) {
    var a = new (options.window || window).RTCPeerConnection();
    var b = new RTCPeerConnection();
    if (options.before) options.before(a, b);
    var remote = [];
    b.addEventListener('datachannel', function (e) {
      remote.push(e.channel);
    });
    var local = [];
    for (var i = 0; i < count; i++) local.push(a.createDataChannel(options.labels ? options.labels[i] : 'dc' + i));
    await negotiate(a, b);
    try {
      await untilOpen(a, b, local, remote, count);
    } catch (error) {
      error.iceFailed = a.iceConnectionState === 'failed' || b.iceConnectionState === 'failed';
      a.close();
      b.close();
      throw error;
    }
    remote.sort(function (x, y) {
      return local.map(label).indexOf(x.label) - local.map(label).indexOf(y.label);
    });
    return { a: a, b: b, local: local, remote: remote };
  }

  /**
   * Resolves once `count` channels are open on both sides; rejects as soon as the engine gives up
   * (a connection `failed` or `closed`, a channel closing or closed), or after CONNECT_MS, saying
   * what each side read.
   */
  function untilOpen(a, b, local, remote, count) {
    function describe() {
      return (
        'a ' +
        a.connectionState +
        ' (ICE ' +
        a.iceConnectionState +
        '), b ' +
        b.connectionState +
        ' (ICE ' +
        b.iceConnectionState +
        '); ' +
        'created: ' +
        local.map(state).join(', ') +
        '; received ' +
        remote.length +
        ' of ' +
        count +
        ': ' +
        remote.map(state).join(', ')
      );
    }
    var t0 = Date.now();
    return new Promise(function (resolve, reject) {
      (function check() {
        var channels = local.concat(remote);
        var open =
          remote.length === count &&
          channels.every(function (dc) {
            return dc.readyState === 'open';
          });
        if (open) return resolve();
        var gaveUp =
          [a, b].some(function (pc) {
            return pc.connectionState === 'failed' || pc.connectionState === 'closed';
          }) ||
          channels.some(function (dc) {
            return dc.readyState === 'closing' || dc.readyState === 'closed';
          });
        var ms = Date.now() - t0;
        if (gaveUp)
          return reject(
            new Error(
              'the engine gave up on the connection after ' +
                ms +
                ' ms, before ' +
                count +
                ' data channel(s) opened on both sides: ' +
                describe(),
            ),
          );
        if (ms > CONNECT_MS)
          return reject(
            new Error(
              'timed out after ' + CONNECT_MS + ' ms waiting for ' + count + ' data channel(s) to open on both sides: ' + describe(),
            ),
          );
        setTimeout(check, 5);
      })();
    });
  }

  function state(dc) {
    return dc.readyState;
  }

  function label(dc) {
    return dc.label;
  }

  /** A live audio track (Web Audio), or null where Web Audio cannot make one. */
  function audioTrack() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    var ctx = new Context();
    if (!ctx.createMediaStreamDestination) return null;
    var oscillator = ctx.createOscillator();
    var destination = ctx.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    return destination.stream.getAudioTracks()[0] || null;
  }

  /** Adds audio to `a` (a track if Web Audio gives one, else a bare transceiver). */
  function addAudio(a) {
    var track = audioTrack();
    if (track) a.addTrack(track, new MediaStream([track]));
    else a.addTransceiver('audio');
  }

  /**
   * Two connected connections, `a` (of `win` if given) and `b`, with a channel created by each:
   * resolves with them and b's two channels, `received` (from a) and `created`, once both are open.
   */
  async function connectBothWays(win) {
    var created;
    var pair = await connect(1, {
      window: win,
      before: function (a, b) {
        created = b.createDataChannel('from-b');
      },
    });
    await waitUntil(
      function () {
        return created.readyState === 'open';
      },
      CONNECT_MS,
      'the channel b created to open (' + created.readyState + ')',
    );
    return { a: pair.a, b: pair.b, received: pair.remote[0], created: created };
  }

  /**
   * A frame inside this one, with the same scripts (the shim or not, the emulation: demo/probe.html
   * ?peer), once they ran.
   */
  async function peerFrame() {
    var params = new URLSearchParams(location.search);
    params.delete('probe');
    params.delete('token');
    params.set('peer', '');
    var frame = document.createElement('iframe');
    frame.src = 'probe.html?' + params.toString();
    // Natively the probe starts while the probe page is still parsed: it may have no body yet.
    (document.body || document.documentElement).appendChild(frame);
    await waitUntil(
      function () {
        return frame.contentWindow && frame.contentWindow.closeShimPeer;
      },
      CONNECT_MS,
      'the nested frame to load',
    );
    var peer = frame.contentWindow.closeShimPeer;
    if (peer.error) throw new Error('the nested frame: ' + peer.error);
    return frame;
  }

  // ---- recording channel events ----

  /**
   * Records `channel`'s open/closing/close/error events as { type, state, sync, error }, `sync`
   * when fired while `inside.flag` is set (synchronously inside close()).
   */
  function record(channel, inside) {
    var log = [];
    ['open', 'closing', 'close', 'error'].forEach(function (type) {
      channel.addEventListener(type, function (event) {
        var entry = { type: type, state: channel.readyState, sync: !!(inside && inside.flag) };
        if (type === 'error' && event.error) entry.error = event.error.name + '/' + event.error.errorDetail;
        log.push(entry);
      });
    });
    return log;
  }

  function count(log, type) {
    return log.filter(function (e) {
      return e.type === type;
    }).length;
  }

  function closed(log) {
    return count(log, 'close') > 0;
  }

  /** "closing, close" or "error (OperationError/sctp-failure), close" or "no event". */
  function describe(log) {
    if (!log.length) return 'no event';
    return log
      .map(function (e) {
        var text = e.type;
        if (e.error) text += ' (' + e.error + ')';
        if (e.type === 'close' && e.state !== 'closed') text += ' (readyState ' + e.state + ')';
        if (e.sync) text += ' (inside close())';
        return text;
      })
      .join(', ');
  }

  /** Calls `fn` with `inside.flag` set, so events fired synchronously inside it are marked. */
  function during(inside, fn) {
    inside.flag = true;
    try {
      return fn();
    } finally {
      inside.flag = false;
    }
  }

  /** "ok", or the error's name ("InvalidStateError"), for a call that may throw or reject. */
  async function outcome(fn) {
    try {
      await fn();
      return 'ok';
    } catch (error) {
      return (error && error.name) || String(error);
    }
  }

  // ---- session descriptions ----

  var DESCRIPTION_GETTERS = [
    'localDescription',
    'currentLocalDescription',
    'pendingLocalDescription',
    'remoteDescription',
    'currentRemoteDescription',
    'pendingRemoteDescription',
  ];

  /** getter → { value: 'type\nsdp' | null } or { error: name } (the spec's getters never throw). */
  function readDescriptions(pc) {
    var values = {};
    DESCRIPTION_GETTERS.forEach(function (getter) {
      try {
        var description = pc[getter];
        values[getter] = { value: description ? description.type + '\n' + description.sdp : null };
      } catch (error) {
        values[getter] = { error: (error && error.name) || String(error) };
      }
    });
    return values;
  }

  /** null when `after` is what `before` was, else how it differs, in words ("throw InvalidStateError"). */
  function describeChange(before, after) {
    if (after.error) return before.error === after.error ? null : 'throw ' + after.error;
    if (before.error) return 'no longer throw ' + before.error;
    if (after.value === before.value) return null;
    if (after.value === null) return 'return null';
    return before.value === null ? 'return a description where there was none' : 'return a different description';
  }

  // ---- scenarios shared by several probes ----

  /**
   * One side of a connected pair closes while its channels are open, closing (dc.close() just
   * called) and, on the creating side, connecting (created after negotiation). `side` 'a' closes
   * the side that created the channels, 'b' the side that received them.
   */
  async function closeWithChannels(side) {
    var pair = await connect(2);
    var pc = side === 'a' ? pair.a : pair.b;
    var ours = side === 'a' ? pair.local : pair.remote;
    var channels = { open: ours[0], closing: ours[1] };
    if (side === 'a') channels.connecting = pc.createDataChannel('connecting');
    var inside = { flag: false };
    var logs = {};
    Object.keys(channels).forEach(function (name) {
      logs[name] = record(channels[name], inside);
    });
    channels.closing.close();
    var before = {};
    Object.keys(channels).forEach(function (name) {
      before[name] = channels[name].readyState;
    });
    during(inside, function () {
      pc.close();
    });
    var after = {};
    Object.keys(channels).forEach(function (name) {
      after[name] = channels[name].readyState;
    });
    var allClosed = await settle(function () {
      return Object.keys(logs).every(function (name) {
        return closed(logs[name]);
      });
    }, WAIT_MS);
    await quiet();
    (side === 'a' ? pair.b : pair.a).close();
    return { before: before, after: after, logs: logs, allClosed: allClosed };
  }

  /** "open → open, closing → closing, connecting → connecting" (readyState before → after close()). */
  function describeStates(result) {
    return Object.keys(result.after)
      .map(function (name) {
        return result.before[name] + ' → ' + result.after[name];
      })
      .join(', ');
  }

  function readyStateRightAfterClose(side) {
    return async function () {
      var result = await closeWithChannels(side);
      var names = Object.keys(result.after);
      return {
        pass: names.every(function (name) {
          return result.after[name] === 'closed';
        }),
        observed: describeStates(result),
      };
    };
  }

  function exactlyOneClose(side) {
    return async function () {
      var result = await closeWithChannels(side);
      var names = Object.keys(result.logs);
      var pass = names.every(function (name) {
        var closes = result.logs[name].filter(function (e) {
          return e.type === 'close';
        });
        return closes.length === 1 && !closes[0].sync && closes[0].state === 'closed';
      });
      var observed = names
        .map(function (name) {
          var closes = result.logs[name].filter(function (e) {
            return e.type === 'close';
          });
          if (!closes.length) return name + ': no close within ' + WAIT_MS + ' ms';
          var notes = [];
          if (
            closes.some(function (e) {
              return e.sync;
            })
          )
            notes.push('inside close()');
          if (
            closes.some(function (e) {
              return e.state !== 'closed';
            })
          )
            notes.push('readyState ' + closes[0].state);
          return (
            name + ': ' + closes.length + (closes.length === 1 ? ' close' : ' closes') + (notes.length ? ' (' + notes.join(', ') + ')' : '')
          );
        })
        .join(', ');
      return { pass: pass, observed: observed };
    };
  }

  function noEventOfType(type) {
    return async function () {
      var results = [await closeWithChannels('a'), await closeWithChannels('b')];
      var pass = true;
      var parts = [];
      results.forEach(function (result, i) {
        Object.keys(result.logs).forEach(function (name) {
          var n = count(result.logs[name], type);
          if (n) {
            pass = false;
            parts.push((i ? 'received ' : 'created ') + name + ' channel: ' + describe(result.logs[name]));
          }
        });
      });
      return {
        pass: pass,
        observed: pass ? 'no ' + type + ' event on created or received channels (open, closing, connecting)' : parts.join('; '),
      };
    };
  }

  // ---- the probes, one per rule ----

  var probes = [
    {
      id: 'states',
      rule: '`signalingState`, `iceConnectionState`, `connectionState` read `closed` right after `close()`',
      run: async function () {
        var pair = await connect(1);
        pair.a.close();
        var states = [pair.a.signalingState, pair.a.iceConnectionState, pair.a.connectionState];
        pair.b.close();
        return {
          pass: states.every(function (s) {
            return s === 'closed';
          }),
          observed: states.join(', '),
        };
      },
    },
    {
      id: 'transports',
      rule: '`pc.sctp.state`, its DTLS and ICE transports read `closed` right after `close()`',
      run: async function () {
        var pair = await connect(1);
        var sctp = pair.a.sctp;
        if (!sctp) {
          pair.a.close();
          pair.b.close();
          return { pass: false, observed: 'no pc.sctp (RTCSctpTransport) in this engine' };
        }
        var dtls = sctp.transport;
        var ice = dtls && dtls.iceTransport;
        pair.a.close();
        var states = { sctp: sctp.state, dtls: dtls ? dtls.state : 'n/a', ice: ice ? ice.state : 'n/a' };
        pair.b.close();
        return {
          pass: states.sctp === 'closed' && states.dtls === 'closed' && (states.ice === 'closed' || states.ice === 'n/a'),
          observed: 'sctp ' + states.sctp + ', dtls ' + states.dtls + ', ice ' + states.ice,
        };
      },
    },
    {
      id: 'local-readystate',
      rule: 'created channels (open, closing, connecting) read `closed` right after `close()`',
      run: readyStateRightAfterClose('a'),
    },
    {
      id: 'received-readystate',
      rule: 'received channels (open, closing) read `closed` right after `close()`',
      run: readyStateRightAfterClose('b'),
    },
    {
      id: 'local-one-close',
      rule: 'exactly one `close` per created channel, in a later task, reading `closed`',
      run: exactlyOneClose('a'),
    },
    {
      id: 'received-one-close',
      rule: 'exactly one `close` per received channel, in a later task, reading `closed`',
      run: exactlyOneClose('b'),
    },
    {
      id: 'no-closing',
      rule: 'no `closing` event caused by `close()`',
      run: noEventOfType('closing'),
    },
    {
      id: 'no-error',
      rule: 'no `error` event caused by `close()`',
      run: noEventOfType('error'),
    },
    {
      id: 'already-closed',
      rule: 'a channel closed before `close()` fires nothing more',
      run: async function () {
        var pair = await connect(1);
        var dc = pair.local[0];
        var first = record(dc);
        dc.close();
        await waitUntil(
          function () {
            return closed(first);
          },
          WAIT_MS,
          'the close event of dc.close()',
        );
        var log = record(dc);
        pair.a.close();
        await quiet();
        pair.b.close();
        return { pass: log.length === 0, observed: log.length ? 'after close(): ' + describe(log) : 'no event after close()' };
      },
    },
    {
      id: 'no-pc-events',
      rule: 'no event on the connection after `close()` (closed inside a `datachannel` event, 16 more queued)',
      run: async function () {
        var pair = await connect(1);
        var a = pair.a;
        var after = [];
        var isClosed = false;
        PC_EVENTS.forEach(function (type) {
          a.addEventListener(type, function () {
            if (isClosed) after.push(type);
          });
        });
        a.addEventListener('datachannel', function () {
          if (!isClosed) {
            isClosed = true;
            a.close();
          }
        });
        for (var i = 0; i < 16; i++) pair.b.createDataChannel('burst' + i);
        await waitUntil(
          function () {
            return isClosed;
          },
          WAIT_MS,
          'a first datachannel event',
        );
        await quiet();
        pair.b.close();
        var counts = {};
        after.forEach(function (type) {
          counts[type] = (counts[type] || 0) + 1;
        });
        return {
          pass: after.length === 0,
          observed: after.length ? 'events after close(): ' + Object.keys(counts).sort().join(', ') : 'no event after close()',
          detail: after.length
            ? Object.keys(counts)
                .sort()
                .map(function (t) {
                  return t + ' ×' + counts[t];
                })
                .join(', ')
            : undefined,
        };
      },
    },
    {
      id: 'no-late-messages',
      rule: 'no `message` after `close()` (closed inside the first of 50 queued messages)',
      run: async function () {
        var pair = await connect(1);
        var after = 0;
        var isClosed = false;
        pair.local[0].addEventListener('message', function () {
          if (isClosed) after++;
          else {
            isClosed = true;
            pair.a.close();
          }
        });
        for (var i = 0; i < 50; i++) pair.remote[0].send('m' + i);
        await waitUntil(
          function () {
            return isClosed;
          },
          WAIT_MS,
          'the first message',
        );
        await quiet();
        pair.b.close();
        return {
          pass: after === 0,
          observed: after ? 'messages delivered after close()' : 'no message after close()',
          detail: after ? after + ' of the 49 still queued' : undefined,
        };
      },
    },
    {
      id: 'transceivers',
      rule: 'transceivers read `stopped`; `sender.replaceTrack()` rejects with `InvalidStateError`',
      run: async function () {
        var pair = await connect(1, { before: addAudio });
        var transceivers = pair.a.getTransceivers();
        var sender = transceivers[0].sender;
        pair.a.close();
        var seen = transceivers.map(function (t) {
          return [t.currentDirection, t.direction, 'stopped' in t ? String(t.stopped) : 'n/a'];
        });
        var replace = await outcome(function () {
          return sender.replaceTrack(null);
        });
        pair.b.close();
        var stopped = seen.every(function (s) {
          return s[0] === 'stopped' && s[1] === 'stopped' && s[2] !== 'false';
        });
        return {
          pass: stopped && replace === 'InvalidStateError',
          observed:
            'currentDirection ' + seen[0][0] + ', direction ' + seen[0][1] + ', stopped ' + seen[0][2] + '; replaceTrack: ' + replace,
        };
      },
    },
    {
      id: 'receiver-track',
      rule: 'receiver tracks read `ended` right after `close()`',
      run: async function () {
        var pair = await connect(1, { before: addAudio });
        var tracks = pair.b.getReceivers().map(function (r) {
          return r.track;
        });
        var ended = 0;
        tracks.forEach(function (t) {
          t.addEventListener('ended', function () {
            ended++;
          });
        });
        var before = tracks.map(function (t) {
          return t.readyState;
        });
        pair.b.close();
        var after = tracks.map(function (t) {
          return t.readyState;
        });
        await settle(function () {
          return ended >= tracks.length;
        }, WAIT_MS);
        await quiet();
        pair.a.close();
        return {
          pass:
            tracks.length > 0 &&
            after.every(function (s) {
              return s === 'ended';
            }),
          observed: before.join(', ') + ' → ' + after.join(', ') + '; ended events: ' + ended,
        };
      },
    },
    {
      id: 'methods',
      rule: '`createOffer()` rejects, `createDataChannel()` and `addTransceiver()` throw `InvalidStateError`',
      run: async function () {
        var pc = new RTCPeerConnection();
        pc.close();
        var results = [
          'createOffer: ' +
            (await outcome(function () {
              return pc.createOffer();
            })),
          'createDataChannel: ' +
            (await outcome(function () {
              return pc.createDataChannel('x');
            })),
          'addTransceiver: ' +
            (await outcome(function () {
              return pc.addTransceiver('audio');
            })),
        ];
        return {
          pass: results.every(function (r) {
            return /: InvalidStateError$/.test(r);
          }),
          observed: results.join(', '),
        };
      },
    },
    {
      id: 'description-getters',
      rule: '`localDescription`, `remoteDescription` and their `current…`/`pending…` forms return what they returned before `close()`',
      run: async function () {
        var pair = await connect(1);
        // A renegotiation under way: `a` holds a pending local offer, `c` (a third connection) the
        // same offer as a pending remote one, `b` stays stable; together they make all six non-null.
        await pair.a.setLocalDescription(await pair.a.createOffer());
        var c = new RTCPeerConnection();
        await c.setRemoteDescription(pair.a.localDescription);
        var connections = [pair.b, pair.a, c];
        var states = connections.map(function (pc) {
          return pc.signalingState;
        });
        var before = connections.map(function (pc) {
          var values = readDescriptions(pc);
          pc.close();
          return values;
        });
        DESCRIPTION_GETTERS.forEach(function (getter) {
          var seen = before.some(function (values) {
            return values[getter].value;
          });
          if (!seen) throw new Error(getter + ' was null on every connection before close(): nothing to compare');
        });
        var rightAfter = connections.map(readDescriptions);
        await quiet();
        var later = connections.map(readDescriptions);
        // getter → what it did instead of returning its earlier value ("throw InvalidStateError").
        var deviations = {};
        connections.forEach(function (_pc, i) {
          DESCRIPTION_GETTERS.forEach(function (getter) {
            [rightAfter[i][getter], later[i][getter]].forEach(function (after) {
              var change = describeChange(before[i][getter], after);
              if (change && !deviations[getter]) deviations[getter] = change;
            });
          });
        });
        var getters = Object.keys(deviations);
        var byChange = {};
        getters.forEach(function (getter) {
          (byChange[deviations[getter]] = byChange[deviations[getter]] || []).push(getter);
        });
        return {
          pass: getters.length === 0,
          observed: getters.length
            ? 'after close(): ' +
              Object.keys(byChange)
                .map(function (change) {
                  var names = byChange[change].length === DESCRIPTION_GETTERS.length ? ['all six'] : byChange[change];
                  return names.join(', ') + ' ' + change;
                })
                .join('; ')
            : 'all six return what they did before close() (' + states.join(', ') + '), then and a task later',
        };
      },
    },
    {
      id: 'close-twice',
      rule: '`close()` twice is a no-op: no throw, still one `close` per channel',
      run: async function () {
        var pair = await connect(2);
        var logs = pair.local.map(function (dc) {
          return record(dc);
        });
        var threw = [];
        for (var i = 0; i < 2; i++) {
          try {
            pair.a.close();
          } catch (error) {
            threw.push(error.name);
          }
        }
        await settle(function () {
          return logs.every(closed);
        }, WAIT_MS);
        try {
          pair.a.close();
        } catch (error) {
          threw.push(error.name);
        }
        await quiet();
        pair.b.close();
        var closes = logs.map(function (log) {
          return count(log, 'close');
        });
        return {
          pass:
            threw.length === 0 &&
            pair.a.signalingState === 'closed' &&
            closes.every(function (n) {
              return n === 1;
            }),
          observed: (threw.length ? 'close() threw ' + threw.join(', ') : 'no throw') + '; close events per channel: ' + closes.join(', '),
        };
      },
    },
    {
      id: 'throwing-handler',
      rule: 'a throwing `close` handler does not stop the other channels’ events; `close()` does not throw',
      run: async function () {
        var pair = await connect(2);
        var ran = [];
        pair.local[0].onclose = function () {
          ran.push('first');
          throw new Error('thrown on purpose by a close handler (probe "throwing-handler")');
        };
        pair.local[1].onclose = function () {
          ran.push('second');
        };
        var threw = false;
        try {
          pair.a.close();
        } catch (_error) {
          threw = true;
        }
        await settle(function () {
          return ran.length >= 2;
        }, WAIT_MS);
        await quiet();
        pair.b.close();
        ran.sort();
        return {
          pass: !threw && ran.join() === 'first,second',
          observed: (threw ? 'close() threw' : 'close() did not throw') + '; handlers run: ' + (ran.join(', ') || 'none'),
        };
      },
    },
    {
      id: 'mdn-example',
      rule: 'MDN’s example: `close()` inside `onmessage`; both channels `closed` at once, one `close` each, nothing else',
      run: async function () {
        var pair = await connect(2, { labels: ['chat', 'files'] });
        var logs = pair.local.map(function (dc) {
          return record(dc);
        });
        var rightAfter = null;
        pair.local[0].onmessage = function () {
          pair.a.close();
          rightAfter = pair.local.map(function (dc) {
            return dc.readyState;
          });
        };
        pair.remote[0].send('hello');
        await waitUntil(
          function () {
            return rightAfter !== null;
          },
          WAIT_MS,
          'the message',
        );
        await settle(function () {
          return logs.every(closed);
        }, WAIT_MS);
        await quiet();
        pair.b.close();
        var pass =
          rightAfter.every(function (s) {
            return s === 'closed';
          }) &&
          logs.every(function (log) {
            return log.length === 1 && log[0].type === 'close' && log[0].state === 'closed';
          });
        return {
          pass: pass,
          observed:
            'right after close(): chat ' +
            rightAfter[0] +
            ', files ' +
            rightAfter[1] +
            '; chat: ' +
            describe(logs[0]) +
            '; files: ' +
            describe(logs[1]),
        };
      },
    },
    {
      id: 'remote-abort',
      rule: 'when the other peer closes, each channel fires `closing`, `error` (`OperationError`, `sctp-failure`), then one `close`',
      run: async function () {
        var pair = await connectBothWays();
        var logs = { received: record(pair.received), created: record(pair.created) };
        pair.a.close();
        await settle(function () {
          return closed(logs.received) && closed(logs.created);
        }, WAIT_MS);
        await quiet();
        pair.b.close();
        var pass = Object.keys(logs).every(function (name) {
          var log = logs[name];
          return (
            log.length === 3 &&
            log[0].type === 'closing' &&
            log[1].type === 'error' &&
            log[1].error === 'OperationError/sctp-failure' &&
            log[2].type === 'close'
          );
        });
        return {
          pass: pass,
          observed: 'received: ' + describe(logs.received) + '; created by it: ' + describe(logs.created),
        };
      },
    },
    {
      id: 'frame-removed',
      rule: 'when a page goes away without `close()` (its frame removed), the other peer’s channels end within 1 s',
      run: async function () {
        var frame = await peerFrame();
        var pair = await connectBothWays(frame.contentWindow);
        var channels = { received: pair.received, 'created by it': pair.created };
        var names = Object.keys(channels);
        var logs = {};
        var msToClose = {};
        var removed;
        names.forEach(function (name) {
          logs[name] = record(channels[name]);
          channels[name].addEventListener('close', function () {
            msToClose[name] = Date.now() - removed;
          });
        });
        removed = Date.now();
        frame.remove();
        await settle(function () {
          return names.every(function (name) {
            return closed(logs[name]);
          });
        }, WAIT_MS);
        await quiet();
        pair.b.close();
        var late = names.filter(function (name) {
          return !(msToClose[name] <= GONE_MS);
        });
        return {
          pass: late.length === 0,
          observed:
            names
              .map(function (name) {
                return name + ': ' + describe(logs[name]);
              })
              .join('; ') + (late.length ? '; not closed within ' + GONE_MS / 1000 + ' s: ' + late.join(', ') : ''),
          detail:
            'ms from the removal to each close: ' +
            names
              .map(function (name) {
                return name in msToClose ? msToClose[name] : 'none';
              })
              .join(', ') +
            '; a removed frame is never kept in the back/forward cache: the same with the cache on or off',
        };
      },
    },
    {
      id: 'worker',
      rule: 'channels moved to a worker (`worker.postMessage(dc, [dc])`, created and received): one `close` each there, no `closing` or `error`, reading `closed` (shim: the same file loaded in the worker too)',
      run: async function () {
        // The worker loads the shim's script tag (importScripts) when this frame has it.
        var tag = document.querySelector('script[src*="webrtc-close-shim"]');
        var code =
          'var logs = {};' +
          'self.onmessage = function (e) {' +
          '  if (e.data.shim) return importScripts(e.data.shim);' +
          '  var dc = e.data.dc, log = (logs[e.data.name] = []);' +
          "  ['closing', 'error', 'close'].forEach(function (type) {" +
          '    dc.addEventListener(type, function () { log.push({ type: type, state: dc.readyState }); postMessage(logs); });' +
          '  });' +
          '  dc.onopen = function () { postMessage(logs); };' +
          '  postMessage(logs);' +
          '};';
        var url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        var worker = new Worker(url);
        var logs = {};
        worker.onmessage = function (e) {
          logs = e.data;
        };
        if (tag) worker.postMessage({ shim: tag.src });
        var a = new RTCPeerConnection();
        var b = new RTCPeerConnection();
        // Chromium transfers a channel only in the task that made or announced it.
        var dc = a.createDataChannel('created');
        worker.postMessage({ name: 'created', dc: dc }, [dc]);
        a.ondatachannel = function (e) {
          worker.postMessage({ name: 'received', dc: e.channel }, [e.channel]);
        };
        var far = [b.createDataChannel('from-b')];
        b.ondatachannel = function (e) {
          far.push(e.channel);
        };
        try {
          await negotiate(a, b);
          await waitUntil(
            function () {
              return (
                far.length === 2 &&
                far.every(function (c) {
                  return c.readyState === 'open';
                }) &&
                logs.created &&
                logs.received
              );
            },
            CONNECT_MS,
            'both channels open and in the worker',
          );
          await quiet(50);
          a.close();
          await settle(function () {
            return closed(logs.created) && closed(logs.received);
          }, WAIT_MS);
          await quiet();
        } finally {
          a.close();
          b.close();
          worker.terminate();
          URL.revokeObjectURL(url);
        }
        var names = ['created', 'received'];
        var pass = names.every(function (name) {
          var log = logs[name] || [];
          return log.length === 1 && log[0].type === 'close' && log[0].state === 'closed';
        });
        return {
          pass: pass,
          observed: names
            .map(function (name) {
              return name + ': ' + describe(logs[name] || []);
            })
            .join('; '),
        };
      },
    },
  ];

  /** Runs probe `id`; resolves { pass, observed, detail } or rejects with the probe's error. */
  function run(id) {
    var probe = probes.filter(function (p) {
      return p.id === id;
    })[0];
    if (!probe) return Promise.reject(new Error('no probe named ' + id));
    if (typeof RTCPeerConnection !== 'function') return Promise.reject(new Error('this browser has no RTCPeerConnection'));
    return probe.run();
  }

  window.closeShimProbes = {
    list: probes.map(function (p) {
      return { id: p.id, rule: p.rule };
    }),
    run: run,
    // Also used by the back/forward-cache check (demo/bfcache.js).
    connect: connect,
    /** Called when connect() makes a pair again (demo/probe.html sets it). */
    onRetry: null,
  };
})();
