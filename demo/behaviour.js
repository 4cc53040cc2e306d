// The behaviour page (demo/index.html): runs every probe of demo/probes.js in this browser, each in
// a fresh frame (demo/probe.html), natively and with the shim, and shows the results as a table
// that can be copied as Markdown. Its last rule, the back/forward cache, needs this page to leave
// and come back (demo/bfcache.js): it runs when the visitor asks ("Check the back/forward cache"),
// or on its own with ?bfcache; the table is kept in sessionStorage meanwhile, in case this page is
// loaded anew on its return. ?only=id,id runs only those rules. The results are also in
// window.behaviour (scripts/matrix.mjs reads them), with state 'done' once every rule has run (but
// the back/forward cache without ?bfcache). navigator.userAgent is read only to say which browser
// this is; the shim never reads it.
(function () {
  'use strict';

  /**
   * A frame that has not answered by then, from its start or from when its probe made its pair
   * again (demo/probes.js, connect()), is reported as an error (a probe's own waits are ~2 s).
   */
  var FRAME_TIMEOUT_MS = 30000;

  var params = new URLSearchParams(location.search);
  var only = (params.get('only') || '').split(',').filter(Boolean);
  /** ?emulate=NAME: every frame runs over that engine emulation (docs/emulate.md). */
  var emulation = params.get('emulate');
  var check = window.closeShimBfcache;
  /** ?bfcache: the back/forward-cache check runs on its own once the probes are done. */
  var checkOnItsOwn = params.has('bfcache');
  /** Where the table waits while the check is away (sessionStorage). */
  var SAVED = 'webrtc-close-shim/behaviour';
  function wanted(id) {
    return !only.length || only.indexOf(id) >= 0;
  }
  var probes = window.closeShimProbes.list.filter(function (p) {
    return wanted(p.id);
  });
  var rules = probes.concat(wanted(check.id) ? [{ id: check.id, rule: check.rule }] : []);

  var behaviour = (window.behaviour = {
    state: 'running',
    engine: engineOf(navigator.userAgent) + (emulation ? ' emulating ' + emulation : ''),
    userAgent: navigator.userAgent,
    shim: null,
    date: new Date().toISOString().slice(0, 10),
    // A result is null until its rule has run.
    rows: rules.map(function (p) {
      return { id: p.id, rule: p.rule, native: null, shimmed: null };
    }),
  });

  /** "Chrome 156.0.8078.0", "Firefox 153.7", "Safari 18.2 (iPhone)": for display only. */
  function engineOf(ua) {
    var platform = /iPhone|iPad|iPod/.test(ua)
      ? ' (' + ua.match(/iPhone|iPad|iPod/)[0] + ', iOS ' + ((ua.match(/OS (\d+(?:_\d+)*)/) || [])[1] || '?').replace(/_/g, '.') + ')'
      : /Android/.test(ua)
        ? ' (Android)'
        : /Mac OS X/.test(ua)
          ? ' (macOS)'
          : /Windows/.test(ua)
            ? ' (Windows)'
            : /Linux/.test(ua)
              ? ' (Linux)'
              : '';
    var known = [
      ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
      ['Opera', /OPR\/([\d.]+)/],
      ['Chrome on iOS (WebKit)', /CriOS\/([\d.]+)/],
      ['Firefox on iOS (WebKit)', /FxiOS\/([\d.]+)/],
      ['Firefox', /Firefox\/([\d.]+)/],
      ['Chrome', /Chrom(?:e|ium)\/([\d.]+)/],
      ['Safari', /Version\/([\d.]+).*Safari\//],
    ];
    for (var i = 0; i < known.length; i++) {
      var m = ua.match(known[i][1]);
      if (m) return known[i][0] + ' ' + m[1] + platform;
    }
    var webkit = ua.match(/AppleWebKit\/([\d.]+)/);
    return (webkit ? 'WebKit ' + webkit[1] : 'unknown browser') + platform;
  }

  // ---- running one probe in a fresh frame ----

  var frames = document.getElementById('frames');
  var nextToken = 1;

  function runInFrame(id, withShim) {
    return new Promise(function (resolve) {
      var token = String(nextToken++);
      var frame = document.createElement('iframe');
      function giveUp() {
        finish({ error: 'no result from the probe frame within ' + FRAME_TIMEOUT_MS / 1000 + ' s' });
      }
      var timer = setTimeout(giveUp, FRAME_TIMEOUT_MS);
      function onMessage(event) {
        var data = event.data;
        if (event.source !== frame.contentWindow || !data || data.source !== 'webrtc-close-shim-probe' || data.token !== token) return;
        if (!data.retry) return finish(data);
        clearTimeout(timer);
        timer = setTimeout(giveUp, FRAME_TIMEOUT_MS);
      }
      function finish(data) {
        clearTimeout(timer);
        removeEventListener('message', onMessage);
        frame.remove();
        if (data.shim) behaviour.shim = data.shim;
        resolve(data.error ? { pass: false, error: String(data.error) } : data.result);
      }
      addEventListener('message', onMessage);
      frame.title = id + (withShim ? ' with the shim' : ' native');
      frame.src =
        'probe.html?probe=' +
        encodeURIComponent(id) +
        '&token=' +
        token +
        (withShim ? '&shim' : '') +
        (emulation ? '&emulate=' + encodeURIComponent(emulation) : '');
      frames.appendChild(frame);
    });
  }

  // ---- the table ----

  /** Appends `text` to `parent`, with `backticked` parts as <code> (no HTML parsing). */
  function appendRich(parent, text) {
    String(text)
      .split('`')
      .forEach(function (part, i) {
        if (!part) return;
        if (i % 2) {
          var code = document.createElement('code');
          code.textContent = part;
          parent.appendChild(code);
        } else parent.appendChild(document.createTextNode(part));
      });
  }

  function verdict(result) {
    return !result ? 'not-run' : result.error ? 'error' : result.pass ? 'pass' : 'fail';
  }

  var MARKS = { pass: '✓ pass', fail: '✗ fail', error: '⚠ error', 'not-run': '… not run' };
  /**
   * A rule the shim cannot make hold in this engine (`limit`: the probe saw that the engine decides
   * before the shim can act), said as such rather than as the shim's failure.
   */
  var LIMIT = 'engine limit';
  var NOT_RUN = '(tap “Check the back/forward cache” above)';

  function fillCell(cell, result) {
    cell.textContent = '';
    var kind = verdict(result);
    cell.className = kind;
    cell.dataset.verdict = kind;
    if (result && result.limit) cell.dataset.limit = 'true';
    else delete cell.dataset.limit;
    var mark = document.createElement('span');
    mark.className = 'mark';
    mark.textContent = MARKS[kind] + (result && result.limit ? ' (' + LIMIT + ')' : '');
    cell.appendChild(mark);
    cell.appendChild(document.createTextNode(' '));
    if (!result) return appendRich(cell, NOT_RUN);
    appendRich(cell, result.error || result.observed);
    if (result.detail) {
      var detail = document.createElement('div');
      detail.className = 'detail';
      detail.textContent = result.detail;
      cell.appendChild(detail);
    }
  }

  var tbody = document.querySelector('#behaviour tbody');
  var cells = behaviour.rows.map(function (row, i) {
    var tr = document.createElement('tr');
    tr.setAttribute('role', 'row');
    tr.dataset.probe = row.id;
    var number = document.createElement('td');
    number.textContent = String(i + 1);
    var rule = document.createElement('td');
    appendRich(rule, row.rule);
    var native = document.createElement('td');
    var shimmed = document.createElement('td');
    native.textContent = shimmed.textContent = '…';
    // The phone layout hides the header row and shows these labels instead (demo/index.html).
    native.dataset.label = 'native';
    shimmed.dataset.label = 'with the shim';
    [number, rule, native, shimmed].forEach(function (td) {
      td.setAttribute('role', 'cell');
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return { native: native, shimmed: shimmed };
  });

  // ---- Markdown ----

  function mdCell(result) {
    if (!result) return 'not run';
    var text = verdict(result) === 'fail' ? '**fail**' : verdict(result);
    if (result.limit) text += ' (' + LIMIT + ')';
    text += ': ' + (result.error || result.observed) + (result.detail ? ' (' + result.detail + ')' : '');
    return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  }

  /** The numbers (1-based) of the rows for which `test(row)` holds. */
  function numbers(test) {
    return behaviour.rows
      .map(function (row, i) {
        return test(row) ? i + 1 : 0;
      })
      .filter(Boolean);
  }

  function count(column) {
    return numbers(function (row) {
      return row[column] && row[column].pass;
    }).length;
  }

  function markdown() {
    var lines = [
      'webrtc-close-shim behaviour in ' + behaviour.engine + ', ' + behaviour.date + ' (' + (behaviour.shim || 'shim not loaded') + ')',
      '',
      'User agent: `' + behaviour.userAgent + '`',
      '',
      '| # | rule (after `pc.close()`) | native | with the shim |',
      '|---|---|---|---|',
    ];
    behaviour.rows.forEach(function (row, i) {
      lines.push('| ' + (i + 1) + ' | ' + row.rule.replace(/\|/g, '\\|') + ' | ' + mdCell(row.native) + ' | ' + mdCell(row.shimmed) + ' |');
    });
    lines.push('', summary());
    return lines.join('\n') + '\n';
  }

  /** "Rules that hold: 12 of 21 natively, 20 of 21 with the shim; not with the shim, as a limit of this engine: rule 21." */
  function summary() {
    var notRun = numbers(function (row) {
      return !row.native || !row.shimmed;
    });
    var limits = numbers(function (row) {
      return row.shimmed && row.shimmed.limit;
    });
    var n = behaviour.rows.length - notRun.length;
    return (
      'Rules that hold: ' +
      count('native') +
      ' of ' +
      n +
      ' natively, ' +
      count('shimmed') +
      ' of ' +
      n +
      ' with the shim' +
      (limits.length ? '; not with the shim, as a limit of this engine: rule ' + limits.join(', ') : '') +
      (notRun.length ? '; not run: rule ' + notRun.join(', ') : '') +
      '.'
    );
  }

  var copyButton = document.getElementById('copy');
  var copied = document.getElementById('copied');
  var textarea = document.getElementById('markdown');

  function copiedMessage(text) {
    return 'Copied ' + text.trimEnd().split('\n').length + ' lines of Markdown';
  }

  /**
   * Without the Clipboard API (a page served over plain http, as on a phone opening a computer's
   * `npm run demo`): shows the text selected and copies the selection, which browsers still allow
   * inside a click; where they refuse, the reader copies the selected text.
   */
  function copyBySelection(text, why) {
    textarea.value = text;
    textarea.hidden = false;
    textarea.focus();
    textarea.select();
    // Safari on iOS selects a field's text only with an explicit range.
    textarea.setSelectionRange(0, text.length);
    var copiedBySelection = false;
    try {
      copiedBySelection = document.execCommand('copy');
    } catch (_error) {
      // Refused: the text stays selected for the reader to copy.
    }
    copied.textContent = copiedBySelection ? copiedMessage(text) + ' (shown below).' : why + ': select the text below and copy it.';
  }

  copyButton.addEventListener('click', function () {
    var text = markdown();
    behaviour.markdown = text;
    if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') {
      copyBySelection(text, 'No clipboard access here (it needs https or localhost)');
      return;
    }
    navigator.clipboard.writeText(text).then(
      function () {
        textarea.hidden = true;
        copied.textContent = copiedMessage(text) + '.';
      },
      function (error) {
        copyBySelection(text, 'Copying was refused (' + (error && error.name ? error.name : error) + ')');
      },
    );
  });

  // ---- the back/forward-cache check ----

  var checkButton = document.getElementById('check');
  var checkRow = behaviour.rows.length - 1;
  if (!wanted(check.id)) checkButton.parentNode.hidden = true;
  /** The check under way (its id, demo/bfcache.js), while this page is away for it. */
  var checking = null;

  function startCheck() {
    checkButton.disabled = copyButton.disabled = true;
    behaviour.state = document.body.dataset.state = 'running';
    status.textContent = 'Checking the back/forward cache: this page leaves and comes back…';
    try {
      checking = check.start(emulation, function (run) {
        sessionStorage.setItem(SAVED, JSON.stringify({ url: location.href, run: run, rows: behaviour.rows, shim: behaviour.shim }));
      });
    } catch (error) {
      checking = null;
      var failed = { pass: false, error: 'the check keeps its state in localStorage and sessionStorage, which refused it: ' + error };
      finishCheck({ native: failed, shimmed: failed });
    }
  }

  function finishCheck(results) {
    var row = behaviour.rows[checkRow];
    row.native = results.native;
    row.shimmed = results.shimmed;
    fillCell(cells[checkRow].native, row.native);
    fillCell(cells[checkRow].shimmed, row.shimmed);
    done();
  }

  /**
   * If this page is the one the check left, loaded anew on its return: the table as it was then,
   * with the check's results; else null.
   */
  function takeSaved() {
    var text;
    try {
      text = sessionStorage.getItem(SAVED);
    } catch (_error) {
      return null; // No sessionStorage here (storage blocked): no check can have saved anything.
    }
    var saved = JSON.parse(text || 'null');
    if (!saved || saved.url !== location.href) return null;
    sessionStorage.removeItem(SAVED);
    var results = check.results(saved.run);
    return results ? { rows: saved.rows, shim: saved.shim, results: results } : null;
  }

  checkButton.addEventListener('click', startCheck);

  // Back, and kept in the back/forward cache itself: the check's results are waiting.
  addEventListener('pageshow', function (event) {
    if (!event.persisted || !checking) return;
    var results = check.results(checking);
    checking = null;
    sessionStorage.removeItem(SAVED);
    var lost = { pass: false, error: 'the check came back without its results (another one started since?)' };
    finishCheck(results || { native: lost, shimmed: lost });
  });

  // ---- run ----

  var status = document.getElementById('status');
  document.getElementById('engine').textContent = 'Engine: ' + behaviour.engine;
  document.querySelector('#user-agent code').textContent = navigator.userAgent;

  /** How long MDN's example may take in its frames (it ends one second after its close()). */
  var MDN_TIMEOUT_MS = 20000;
  var mdnFrames = Array.prototype.slice.call(document.querySelectorAll('iframe[data-src]'));
  /** MDN's example, started once in each of its frames: resolves with whether every frame finished. */
  var mdnFinished = null;
  function runMdnExample() {
    if (mdnFinished) return mdnFinished;
    mdnFinished = new Promise(function (resolve) {
      var left = mdnFrames.length;
      var timer = setTimeout(function () {
        removeEventListener('message', onMessage);
        resolve(false);
      }, MDN_TIMEOUT_MS);
      function onMessage(event) {
        var data = event.data;
        if (!data || data.source !== 'webrtc-close-shim-mdn') return;
        if (
          !mdnFrames.some(function (frame) {
            return frame.contentWindow === event.source;
          })
        )
          return;
        if (--left) return;
        clearTimeout(timer);
        removeEventListener('message', onMessage);
        resolve(true);
      }
      addEventListener('message', onMessage);
      mdnFrames.forEach(function (frame) {
        if (!frame.src) frame.src = frame.dataset.src;
      });
    });
    return mdnFinished;
  }

  /** The probes are done: run MDN's example, and say "Done" once it has finished too. */
  function done() {
    status.textContent = "Running MDN's example (below)…";
    runMdnExample().then(function (finished) {
      status.textContent =
        'Done. ' +
        summary() +
        ' (' +
        (behaviour.shim || 'the shim did not load') +
        ')' +
        (finished ? '' : ". MDN's example did not finish within " + MDN_TIMEOUT_MS / 1000 + ' s.');
      copyButton.disabled = false;
      checkButton.disabled = false;
      behaviour.state = 'done';
      document.body.dataset.state = 'done';
    });
  }

  (async function () {
    if (!behaviour.rows.length) throw new Error('no rule matches ?only=' + only.join(','));
    var saved = wanted(check.id) && takeSaved();
    if (saved) {
      // Loaded anew on the check's return: the table as it was, and the check's results.
      behaviour.shim = saved.shim;
      saved.rows.forEach(function (row, i) {
        if (row.id !== behaviour.rows[i].id) throw new Error('the saved table has other rules than this page');
        behaviour.rows[i] = row;
        if (row.native) fillCell(cells[i].native, row.native);
        if (row.shimmed) fillCell(cells[i].shimmed, row.shimmed);
      });
      return finishCheck(saved.results);
    }
    for (var i = 0; i < probes.length; i++) {
      var row = behaviour.rows[i];
      status.textContent = 'Running probe ' + (i + 1) + ' of ' + probes.length + ': ' + row.id + '…';
      row.native = await runInFrame(row.id, false);
      fillCell(cells[i].native, row.native);
      row.shimmed = await runInFrame(row.id, true);
      fillCell(cells[i].shimmed, row.shimmed);
    }
    if (!wanted(check.id)) return done();
    fillCell(cells[checkRow].native, null);
    fillCell(cells[checkRow].shimmed, null);
    if (checkOnItsOwn) startCheck();
    else done();
  })().catch(function (error) {
    behaviour.state = 'error';
    behaviour.error = String(error);
    document.body.dataset.state = 'error';
    status.textContent = 'The page failed: ' + error;
  });
})();
