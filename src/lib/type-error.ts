// The shim's errors for bad input: TypeErrors whose message says it is the shim speaking.

export const typeError = (message: string): TypeError => new TypeError(`webrtc-close-shim: ${message}`);
