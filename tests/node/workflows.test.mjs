// The hosted workflows (.github/workflows/, issue #24), which cannot run here, checked by GitHub's
// own workflow parser (@actions/workflow-parser, from actions/languageservices): every key against
// the workflow schema, every ${{ }} expression, then the conversion to GitHub's model of a workflow
// (jobs, `needs`, steps). Then what each workflow is for: the hosted matrix runs `npm test` as
// .ci/run does and WebKit and Safari on macOS, uploading what they measured; the Pages workflow
// publishes the behaviour page with the built dist/ beside it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

// The parser imports its schema (a .json file) without `with { type: 'json' }`, which Node refuses
// (actions/languageservices#387): this hook adds the attribute to JSON imports.
register(
  'data:text/javascript,' +
    encodeURIComponent(
      "export const load = (url, context, next) => next(url, url.endsWith('.json') ? { ...context, importAttributes: { type: 'json' } } : context);",
    ),
);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');

const directory = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));

/** The workflow as GitHub reads it (plain data), or the parser's errors. */
async function check(name, content) {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length || !parsed.value) return { errors };
  const workflow = JSON.parse(JSON.stringify(await convertWorkflowTemplate(parsed.context, parsed.value)));
  return { errors: (workflow.errors ?? []).map((error) => error.Message), workflow };
}

const read = (name) => readFileSync(join(directory, name), 'utf8');
/** A job's steps, as the commands they run and the actions they use, with their conditions. */
const steps = (job) => job.steps.map((step) => ({ run: step.run, uses: step.uses, if: step.if.expr }));

test('every workflow passes GitHub’s workflow parser', async () => {
  const names = readdirSync(directory).sort();
  assert.deepEqual(names, ['ci.yml', 'pages.yml']);
  for (const name of names) assert.deepEqual((await check(name, read(name))).errors, [], name);
});

test('the parser rejects what GitHub would: an unknown key, a bad expression, a job that needs a missing job', async () => {
  const ci = read('ci.yml');
  const broken = {
    'an unknown key': ci.replace('runs-on: macos-latest', 'run-on: macos-latest'),
    'a bad expression': ci.replace('${{ !cancelled() }}', '${{ !cancelled( }}'),
    'a missing job': ci.replace('  macos:\n', '  macos:\n    needs: mac\n'),
  };
  for (const [what, content] of Object.entries(broken)) {
    assert.notEqual(content, ci, `${what}: the edit applied`);
    assert.notDeepEqual((await check('ci.yml', content)).errors, [], what);
  }
});

test('the hosted matrix: npm test in Debian as .ci/run runs it; WebKit and Safari on macOS; results uploaded', async () => {
  const { workflow } = await check('ci.yml', read('ci.yml'));
  const jobs = Object.fromEntries(workflow.jobs.map((job) => [job.id, job]));
  assert.deepEqual(Object.keys(jobs), ['linux', 'macos']);

  const linux = steps(jobs.linux);
  assert.match(JSON.stringify(jobs.linux.container), /debian:bookworm/);
  assert.ok(linux.some((step) => step.run === 'bash .ci/run'));

  assert.equal(jobs.macos['runs-on'], 'macos-latest');
  const macos = steps(jobs.macos);
  const runs = macos.map((step) => step.run ?? '').join('\n');
  assert.match(runs, /^npx playwright install webkit$/m);
  assert.match(runs, /^npx playwright test --project webkit$/m);
  assert.match(runs, /^node scripts\/matrix\.mjs --engine=webkit --json=results\//m);
  assert.match(
    runs,
    /^sudo safaridriver --enable\nsafaridriver -p (\d+) &\nnode scripts\/matrix\.mjs --webdriver=http:\/\/127\.0\.0\.1:\1 --json=results\//m,
  );

  // A step that fails does not keep the later ones from running, so each measures and uploads.
  const suite = macos.findIndex((step) => step.run === 'npx playwright test --project webkit');
  const later = macos.slice(suite + 1);
  assert.deepEqual(
    later.map((step) => step.if),
    later.map(() => '!cancelled()'),
  );
  for (const [id, list] of [
    ['linux', linux],
    ['macos', macos],
  ]) {
    assert.ok(
      list.some((step) => step.uses === 'actions/setup-node@v7'),
      `${id}: sets up Node`,
    );
    assert.deepEqual(list.at(-1), { run: undefined, uses: 'actions/upload-artifact@v7', if: '!cancelled()' }, `${id}: uploads its results`);
  }
});

test('the Pages workflow publishes demo/ with the built dist/ beside it and the API reference as api/, wherever the repository lives', async () => {
  const content = read('pages.yml');
  const { workflow } = await check('pages.yml', content);
  const jobs = Object.fromEntries(workflow.jobs.map((job) => [job.id, job]));
  assert.deepEqual(Object.keys(jobs), ['build', 'deploy']);
  const build = steps(jobs.build);
  assert.ok(build.some((step) => step.run === 'npm run build'));
  assert.ok(build.some((step) => /^cp -R demo dist _site\/$/m.test(step.run ?? '')));
  // The API reference (typedoc.json writes docs/api/), built after dist/ and published beside the page.
  assert.ok(build.findIndex((step) => step.run === 'npm run docs') > build.findIndex((step) => step.run === 'npm run build'));
  assert.ok(build.some((step) => /^cp -R docs\/api _site\/api$/m.test(step.run ?? '')));
  assert.ok(build.some((step) => /href="demo\/"[\s\S]*href="api\/"/.test(step.run ?? '')));
  assert.equal(build.at(-1).uses, 'actions/upload-pages-artifact@v5');
  assert.deepEqual(jobs.deploy.needs, ['build']);
  assert.deepEqual(steps(jobs.deploy), [{ run: undefined, uses: 'actions/deploy-pages@v5', if: 'success()' }]);
  // No owner or repository name written in (only the comment says where a project site lives): the
  // address is the one the deployment reports.
  assert.doesNotMatch(content.replace(/^\s*#.*$/gm, ''), /github\.io/);
  assert.match(content, /url: \$\{\{ steps\.deployment\.outputs\.page_url \}\}demo\//);
});
