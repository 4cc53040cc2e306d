// A W3C WebDriver client over plain HTTP (https://w3c.github.io/webdriver/): what this repository
// needs to open a page in a browser it does not launch itself and run scripts there. Used by the
// behaviour page's WebDriver run (scripts/matrix.mjs --webdriver=URL: safaridriver, chromedriver)
// and by the WebKitGTK test (tests/webkitgtk, WebKitWebDriver).

/** How long one command may take unless told otherwise (a new session starts a browser). */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * A client of the WebDriver endpoint at `endpoint` (`http://127.0.0.1:4444`, with any path prefix
 * the endpoint has, and the credentials of a cloud grid in it). Every failure is an Error saying which command failed and why, in the
 * endpoint's words where it gave some.
 */
export function webDriver(endpoint) {
  let base;
  try {
    base = new URL(endpoint);
  } catch {
    throw new TypeError(`not a WebDriver URL: ${endpoint} (expected e.g. http://127.0.0.1:4444)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`not an http(s) WebDriver URL: ${endpoint}`);
  // A cloud grid's credentials in the URL (https://USER:KEY@hub.example.com/wd/hub) go in an
  // Authorization header (fetch() refuses a URL with credentials), and never into a message.
  const authorization = base.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
    : undefined;
  base.username = base.password = '';
  const root = base.href.replace(/\/+$/, '');

  async function command(method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
    const what = `WebDriver ${method} ${path} at ${root}`;
    let response;
    try {
      response = await fetch(root + path, {
        method,
        headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization && { authorization }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const why = error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (error.cause?.code ?? error.message);
      throw new Error(`${what}: ${why}`, { cause: error });
    }
    const text = await response.text();
    let value;
    try {
      ({ value } = JSON.parse(text));
    } catch {
      throw new Error(`${what}: not a WebDriver answer (HTTP ${response.status}: ${text.slice(0, 200)})`);
    }
    if (!response.ok) throw new Error(`${what}: ${value?.error ?? `HTTP ${response.status}`}: ${value?.message ?? text.slice(0, 200)}`);
    return value;
  }

  return {
    endpoint: root,
    command,
    /**
     * Resolves with the endpoint's /status once it says it is ready. Rejects after `timeoutMs`,
     * or at once when `child` (the driver's process, where the caller started it) has exited.
     */
    async ready({ timeoutMs = 20_000, child } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer';
      while (Date.now() < deadline) {
        if (child && child.exitCode !== null) throw new Error(`the WebDriver process for ${root} exited with ${child.exitCode}`);
        try {
          const status = await command('GET', '/status', undefined, 5000);
          if (status?.ready) return status;
          last = `not ready: ${status?.message ?? JSON.stringify(status)}`;
        } catch (error) {
          last = error.message;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`WebDriver at ${root} was not ready within ${timeoutMs / 1000} s (${last})`);
    },
    /** A new session; `capabilities` go into alwaysMatch. */
    async session(capabilities = {}) {
      const created = await command('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
      const path = `/session/${created.sessionId}`;
      return {
        id: created.sessionId,
        /** What the endpoint says it started: browserName, browserVersion, … */
        capabilities: created.capabilities,
        navigate: (url) => command('POST', `${path}/url`, { url }),
        /** Runs `script` (a function body) and returns what it returns. */
        execute: (script, args = []) => command('POST', `${path}/execute/sync`, { script, args }),
        end: () => command('DELETE', path),
      };
    },
  };
}
