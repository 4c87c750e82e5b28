// npm run test:vscode — the extension-host suites in VS Code desktop, through @vscode/test-electron.
// (CI runs the same suites inside code-server's extension host: see test/e2e.)
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const workspace = mkdtempSync(join(tmpdir(), 'mnist-vscode-tests-'));
  try {
    process.exitCode = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'vscode-tests', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: {
        MNIST_TEST_FIXTURES: join(root, 'test', 'fixtures', 'png'),
        MNIST_TEST_KERAS_FIXTURES: join(root, 'test', 'fixtures', 'keras'),
      },
    });
  } catch (err) {
    const message = String((err as Error).message ?? err);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|download/i.test(message)) {
      console.error(
        'Could not download VS Code for the extension-host tests (no internet?). ' +
          'The same suites run inside code-server with `npm run test:e2e`, which needs only the npm registry.\n' +
          message,
      );
    } else {
      console.error(`The extension-host tests could not run: ${message}`);
    }
    process.exitCode = 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
