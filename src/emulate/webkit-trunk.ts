// dist/emulate/webkit-trunk.js (`webrtc-close-shim/emulate/webkit-trunk`): WebKit from 304859@main
// on, where close() makes every data channel read "closed" at once and fire one `close` later.
import { emulate } from './webkit';

emulate('webkit-trunk');
