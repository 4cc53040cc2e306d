// MDN's RTCPeerConnection.close() example: close the connection from the first message handler.
// In a frame of the behaviour page, it tells the page when it has finished (or failed), so that
// the page says "Done" only then.
const finished = () => {
  if (parent !== window) parent.postMessage({ source: 'webrtc-close-shim-mdn' }, '*');
};
(async function () {
  const out = document.getElementById('log');
  const lines = [];
  const log = (line) => {
    lines.push(line);
    out.textContent = lines.join('\n');
  };
  const gathered = (pc) =>
    new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });

  const local = new RTCPeerConnection();
  const remote = new RTCPeerConnection();
  const channels = [local.createDataChannel('chat'), local.createDataChannel('files')];
  remote.ondatachannel = ({ channel }) => {
    if (channel.label === 'chat') channel.onopen = () => channel.send('hello');
  };
  for (const dc of channels) {
    let closes = 0;
    dc.onclose = () => log(`${dc.label}: close event #${++closes}, readyState ${dc.readyState}`);
    dc.addEventListener('closing', () => log(`${dc.label}: closing event`));
  }
  channels[0].onmessage = (event) => {
    log(`chat: got "${event.data}", calling close()`);
    local.close();
    log(`right after close(): ${channels.map((dc) => `${dc.label} ${dc.readyState}`).join(', ')}`);
    setTimeout(() => {
      remote.close();
      log('(done: one second after close())');
      finished();
    }, 1000);
  };

  await local.setLocalDescription(await local.createOffer());
  await gathered(local);
  await remote.setRemoteDescription(local.localDescription);
  await remote.setLocalDescription(await remote.createAnswer());
  await gathered(remote);
  await local.setRemoteDescription(remote.localDescription);
  log(`shim: ${window.webrtcCloseShim ? `webrtc-close-shim ${window.webrtcCloseShim.version}` : 'none'}`);
})().catch((error) => {
  document.getElementById('log').textContent = `error: ${error}`;
  finished();
});
