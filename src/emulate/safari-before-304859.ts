// dist/emulate/safari-before-304859.js (`webrtc-close-shim/emulate/safari-before-304859`): WebKit
// before 304859@main, where close() leaves every data channel as it was, with no event ever.
import { emulate } from './webkit';

emulate('safari-before-304859');
