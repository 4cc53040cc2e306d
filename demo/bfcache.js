// The back/forward-cache check of the behaviour page (demo/index.html). A frame cannot show it: the
// page under test must be the top-level page, leave and come back. The behaviour page saves its
// table and calls start(), which goes to demo/bfcache.html; there each step, on
// bfcache.html?step=NAME, leaves for demo/away.html (which goes back at once) and comes back:
// - control: no connection (does this browser keep pages at all? Its cache may be off);
// - native: two connected connections with two channels, no shim;
// - shimmed: the same with the shim's extras build and data-close-on-pagehide, which closes the
//   connections in `pagehide` so that the page can be kept.
// A page not kept is loaded anew, so the check's state lives in storage; after the last step
// history.back() returns to the behaviour page, which takes the results with results(). The storage
// is localStorage, one check at a time: Firefox ESR 153 restores a page from its back/forward cache
// with the sessionStorage it had when it left (tests/behaviour-page.spec.ts), which would hide every
// later step's results from a kept page.
(function () {
  'use strict';

  var KEY = 'webrtc-close-shim/bfcache';
  var STEPS = ['control', 'native', 'shimmed'];
  /** After `pageshow`: how long to watch for events that should not come. */
  var QUIET_MS = 500;

  function read() {
    return JSON.parse(localStorage.getItem(KEY) || 'null');
  }

  function write(state) {
    localStorage.setItem(KEY, JSON.stringify(state));
  }

  /**
   * Goes to `url` as a page a user leaves: once it has loaded (a navigation before the `load`
   * event replaces the page's history entry instead of adding one: nothing to go back to), in a
   * later task.
   */
  function go(url) {
    function soon() {
      setTimeout(function () {
        location.href = url;
      }, 0);
    }
    if (document.readyState === 'complete') soon();
    else addEventListener('load', soon);
  }

  /**
   * Starts the check from the behaviour page (`emulation`: its ?emulate=NAME, applied to the
   * native and shimmed steps too) and returns its id, for results(); `save(id)` runs before the
   * page leaves. Throws, and stays, where localStorage cannot hold the state or `save` throws.
   */
  function start(emulation, save) {
    var run = String(Date.now()) + Math.random().toString(36).slice(2);
    write({ run: run, emulation: emulation, results: {}, left: null, done: false });
    save(run);
    go('bfcache.html?step=' + STEPS[0]);
    return run;
  }

  /**
   * The verdicts of the check `run` as the behaviour page shows them, { native, shimmed } (each a
   * result like a probe's, or an error), or null if there is no such check (another one started
   * since); forgets the check.
   */
  function results(run) {
    var state = read();
    if (!state || state.run !== run) return null;
    localStorage.removeItem(KEY);
    if (!state.done) {
      var unfinished = { pass: false, error: 'the check did not finish: the behaviour page came back before its last step' };
      return { native: unfinished, shimmed: unfinished };
    }
    // Which mode it ran in: the control step's page was kept, so this browser's cache is on (where
    // it is off, as under Playwright's --disable-back-forward-cache, the steps are errors saying so).
    var mode = state.results.control && state.results.control.pass ? 'back/forward cache on: a page without connections was kept' : null;
    function withMode(result) {
      return mode && !result.error ? Object.assign({}, result, { detail: mode }) : result;
    }
    return { native: withMode(state.results.native), shimmed: withMode(state.results.shimmed) };
  }

  // ---- on demo/bfcache.html ----

  /** `performance`'s navigation entry: how this document was loaded, and why it was not restored. */
  function navigation() {
    var entry = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    var legacy = performance.navigation ? ['navigate', 'reload', 'back_forward'][performance.navigation.type] : undefined;
    return { type: entry ? entry.type : legacy, reasons: entry && entry.notRestoredReasons ? reasonsOf(entry.notRestoredReasons) : [] };
  }

  /** The reasons of notRestoredReasons (Chromium 123+) and of its frames, each once: ['rtc']. */
  function reasonsOf(node) {
    var found = [];
    (function collect(n) {
      (n.reasons || []).forEach(function (r) {
        var reason = typeof r === 'string' ? r : r.reason;
        if (found.indexOf(reason) < 0) found.push(reason);
      });
      (n.children || []).forEach(collect);
    })(node);
    return found;
  }

  /** The result of a step whose page was not kept: it was loaded anew, with what it saw at `pagehide`. */
  function notKept(name, left) {
    var nav = navigation();
    if (nav.type && nav.type !== 'back_forward')
      return { pass: false, error: 'the page was loaded anew by ' + nav.type + ', not by going back' };
    var why = [];
    if (nav.reasons.length) why.push('`notRestoredReasons`: ' + nav.reasons.join(', '));
    if (!left.pagehide) why.push('no `pagehide` seen');
    else if (left.pagehide.persisted) why.push('`pagehide` had `persisted` true');
    // The engine had decided before any pagehide listener ran: closing the connections there, as
    // closeOnPagehide does, cannot change it (Firefox ESR 153).
    else why.push('`pagehide` had `persisted` false: the engine had decided before it ran');
    var result = { pass: false, observed: 'not kept (' + why.join('; ') + ')' };
    if (name === 'shimmed' && left.pagehide && !left.pagehide.persisted) result.limit = true;
    return result;
  }

  /**
   * The result of a step whose page was kept: `log` is what it saw, in order (`<channel> <type>`,
   * `<a|b> closed(pc)`, `freeze`, `pageshow`), `pair` its connections and channels.
   */
  function kept(name, log, pair) {
    if (name === 'control') return { pass: true, observed: 'kept' };
    var shown = log.indexOf('pageshow');
    var frozen = log.indexOf('freeze');
    // Before the page was frozen where the engine says so (Chromium's `freeze`), else before `pageshow`.
    var until = frozen >= 0 ? frozen : shown;
    var moment = frozen >= 0 ? 'the page was frozen' : '`pageshow`';
    var problems = [];
    var notClosed = pair.channels
      .map(function (dc) {
        return dc.readyState;
      })
      .concat([pair.a.connectionState, pair.b.connectionState])
      .filter(function (s) {
        return s !== 'closed';
      });
    if (notClosed.length) problems.push('after `pageshow` reading ' + notClosed.join(', '));
    pair.names.forEach(function (channel) {
      var events = log
        .map(function (entry, i) {
          return { text: entry, i: i };
        })
        .filter(function (e) {
          return e.text.indexOf(channel + ' ') === 0;
        });
      var early = events.filter(function (e) {
        return e.i < until;
      });
      if (early.length !== 1 || early[0].text !== channel + ' close' || events.length !== 1)
        problems.push(
          channel +
            ': ' +
            (events.length
              ? events
                  .map(function (e) {
                    return e.text.slice(channel.length + 1) + (e.i > until ? ' (after ' + moment + ')' : '');
                  })
                  .join(', ')
              : 'no event'),
        );
    });
    if (name === 'shimmed')
      ['a', 'b'].forEach(function (pc) {
        var i = log.indexOf(pc + ' closed(pc)');
        if (i < 0 || i > until) problems.push(pc + ': closed(pc) ' + (i < 0 ? 'not resolved' : 'resolved after ' + moment));
      });
    var after = log.slice(shown + 1).filter(function (entry) {
      return entry !== 'resume';
    });
    if (after.length) problems.push('after `pageshow`: ' + after.join(', '));
    return {
      pass: problems.length === 0,
      observed: problems.length
        ? 'kept, but: ' + problems.join('; ')
        : 'kept; before ' +
          moment +
          ': one `close` per channel' +
          (name === 'shimmed' ? ', `closed(pc)` resolved' : '') +
          '; after `pageshow` all `closed`, nothing more',
    };
  }

  /** Goes on to the next step, or back to the behaviour page once every step has its result. */
  function next(state) {
    // The control step passes when its page was kept.
    if (state.results.control && !state.results.control.pass) {
      var off = {
        pass: false,
        error:
          'this browser kept no page in its back/forward cache, not even one without connections (' + state.results.control.observed + ')',
      };
      state.results.native = state.results.shimmed = off;
    }
    var rest = STEPS.filter(function (name) {
      return !state.results[name];
    });
    if (!rest.length) state.done = true;
    write(state);
    if (rest.length) location.replace('bfcache.html?step=' + rest[0]);
    else history.back();
  }

  /** Runs this page's step (demo/bfcache.html?step=NAME); `show(text)` says what it does. */
  function step(show) {
    var name = new URLSearchParams(location.search).get('step');
    var state = read();
    if (!state || STEPS.indexOf(name) < 0 || state.done) return show('Start this check from the behaviour page (index.html).');
    if (state.left && state.left.step === name) {
      // Back here, loaded anew: the page that left was not kept.
      state.results[name] = notKept(name, state.left);
      state.left = null;
      return next(state);
    }
    show('Step ' + (STEPS.indexOf(name) + 1) + ' of ' + STEPS.length + ' (' + name + '): setting up…');
    var shim = name === 'shimmed' ? { src: '../dist/webrtc-close-shim.extras.min.js', attributes: { 'data-close-on-pagehide': '' } } : null;
    var load =
      name === 'control'
        ? function (done) {
            done(null);
          }
        : function (done) {
            window.closeShimLoad(state.emulation, shim, done);
          };
    load(function (error) {
      if (error) {
        state.results[name] = { pass: false, error: error };
        return next(state);
      }
      (name === 'control' ? Promise.resolve(null) : connected(name === 'shimmed')).then(
        function (pair) {
          leave(state, name, pair);
        },
        function (error) {
          state.results[name] = { pass: false, error: String(error) };
          next(state);
        },
      );
    });
  }

  /** Two connected connections of this page, two channels, every event of theirs logged in order. */
  async function connected(withShim) {
    var log = [];
    var pair = await window.closeShimProbes.connect(2);
    var channels = pair.local.concat(pair.remote);
    var names = pair.local
      .map(function (dc) {
        return dc.label;
      })
      .concat(
        pair.remote.map(function (dc) {
          return dc.label + "'";
        }),
      );
    channels.forEach(function (dc, i) {
      ['closing', 'error', 'close', 'message'].forEach(function (type) {
        dc.addEventListener(type, function () {
          log.push(names[i] + ' ' + type);
        });
      });
    });
    if (withShim)
      [
        ['a', pair.a],
        ['b', pair.b],
      ].forEach(function (entry) {
        window.webrtcCloseShim.closed(entry[1]).then(function () {
          log.push(entry[0] + ' closed(pc)');
        });
      });
    return { a: pair.a, b: pair.b, channels: channels, names: names, log: log };
  }

  /** Leaves for demo/away.html, which comes back; the result is taken at `pageshow` if the page was kept. */
  function leave(state, name, pair) {
    var log = pair ? pair.log : [];
    /** The check's state while this step is away, or null once it has moved on. */
    function away() {
      var current = read();
      return current && current.left && current.left.step === name ? current : null;
    }
    addEventListener('pagehide', function (event) {
      var current = away();
      if (!current) return;
      current.left.pagehide = { persisted: event.persisted };
      write(current);
    });
    document.addEventListener('freeze', function () {
      log.push('freeze');
    });
    document.addEventListener('resume', function () {
      log.push('resume');
    });
    addEventListener('pageshow', function (event) {
      if (!event.persisted || !away()) return;
      log.push('pageshow');
      setTimeout(function () {
        var current = away();
        current.results[name] = kept(name, log, pair);
        current.left = null;
        next(current);
      }, QUIET_MS);
    });
    state.left = { step: name };
    write(state);
    go('away.html');
  }

  window.closeShimBfcache = {
    id: 'bfcache',
    rule: 'a page left with open connections is kept in the back/forward cache: before it freezes, one `close` per channel and `closed(pc)`; after `pageshow`, nothing (shim: extra `closeOnPagehide`)',
    start: start,
    results: results,
    step: step,
  };
})();
