// Loads the scripts a page of the behaviour page asks for (demo/probe.html, demo/bfcache.html), in
// order: an engine emulation (../dist/emulate/NAME.js, docs/emulate.md) if `emulation` names one,
// then the shim's script-tag build if `shim` is given ({ src, attributes }: the data- attributes of
// its script tag). Then calls `done(error)`, with null, or what went wrong: a script that did not
// load, a shim that did not install itself (or one installed where none was loaded), an emulation
// that did not apply.
(function () {
  'use strict';

  window.closeShimLoad = function (emulation, shim, done) {
    if (emulation && !/^[a-z0-9-]+$/.test(emulation)) return done('bad emulation name ' + emulation);
    var scripts = (emulation ? [{ src: '../dist/emulate/' + emulation + '.js' }] : []).concat(shim ? [shim] : []);
    (function load(i) {
      if (i === scripts.length) return done(check());
      var script = document.createElement('script');
      var attributes = scripts[i].attributes || {};
      Object.keys(attributes).forEach(function (name) {
        script.setAttribute(name, attributes[name]);
      });
      script.src = scripts[i].src;
      script.onload = function () {
        load(i + 1);
      };
      script.onerror = function () {
        done('could not load ' + scripts[i].src + ' (run npm run build)');
      };
      document.head.appendChild(script);
    })(0);

    function check() {
      var installed = typeof Symbol === 'function' && Symbol.for('webrtc-close-shim') in window;
      if (shim && !installed) return 'the shim loaded but did not install itself';
      if (!shim && installed) return 'the shim is installed in the native frame';
      if (emulation && window[Symbol.for('webrtc-close-shim/emulate')] !== emulation)
        return 'the emulation ' + emulation + ' did not apply';
      return null;
    }
  };
})();
