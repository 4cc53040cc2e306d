// The WebDriver client (scripts/lib/webdriver.mjs) against a cloud grid or a Selenium Grid
// (docs/testing.md): credentials in the endpoint's URL go in an Authorization header and never
// into a message; and npm run matrix's --site, which opens the page where the remote browser can
// reach it, is refused without --webdriver or a URL. No browser: a stand-in endpoint.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { webDriver } from '../../scripts/lib/webdriver.mjs';
import { command } from './command.mjs';

test('credentials in the endpoint URL become a Basic Authorization header, and stay out of messages', async () => {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    res.writeHead(req.url.endsWith('/status') ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        value: req.url.endsWith('/status') ? { ready: true, message: 'grid' } : { error: 'unknown command', message: 'no' },
      }),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const driver = webDriver(`http://me:s%40cret@127.0.0.1:${port}/wd/hub`);
    assert.equal(driver.endpoint, `http://127.0.0.1:${port}/wd/hub`);
    assert.equal((await driver.ready()).message, 'grid');
    assert.deepEqual(seen[0], { url: '/wd/hub/status', authorization: `Basic ${Buffer.from('me:s@cret').toString('base64')}` });
    await assert.rejects(
      driver.command('GET', '/nothing'),
      (error) => !/s%40cret|s@cret|me:/.test(error.message) && /unknown command/.test(error.message),
    );
    // Without credentials, no header.
    await webDriver(`http://127.0.0.1:${port}/wd/hub`).ready();
    assert.equal(seen.at(-1).authorization, undefined);
  } finally {
    server.close();
  }
});

test('npm run matrix: --site needs --webdriver and an http(s) URL', async () => {
  const alone = await command(process.execPath, ['scripts/matrix.mjs', '--site=https://example.org/shim']);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--site needs --webdriver/);
  const notUrl = await command(process.execPath, ['scripts/matrix.mjs', '--webdriver=http://127.0.0.1:1', '--site=example.org']);
  assert.equal(notUrl.code, 2);
  assert.match(notUrl.stderr, /--site must be an http\(s\) URL, not example\.org/);
});
