// Runs a command for a Node test and resolves with its exit code and output, whatever the code, so
// that the test can assert on a failure's output too.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `file` with `args`, in the repository's root unless `options.cwd` says otherwise. */
export async function command(file, args, options = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: root, maxBuffer: 16 << 20, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}
