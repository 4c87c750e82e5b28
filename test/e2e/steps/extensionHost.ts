// The mocha suites written for @vscode/test-electron, run inside code-server's extension host: a test-only
// extension (test/vscode/runnerExtension, packaged here and installed beside the .vsix) loads the bundled suite
// (out/vscode-tests/index.js) that MNIST_EXTENSION_TESTS names and writes a JSON report to MNIST_TEST_REPORT,
// which this step reads.
import { createVSIX } from '@vscode/vsce';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installExtension, startCodeServer, type CodeServer, type CodeServerDirs } from '../codeServer';
import { log, until, type Runner } from '../runner';
import type { Report } from '../../vscode/report';
import { launchBrowser, openWorkbench, type BrowserSession } from '../workbench';

export interface ExtensionHostOptions extends CodeServerDirs {
  /** Absolute path of the bundled suite (out/vscode-tests/index.js). */
  suite: string;
  /** The built test-runner extension's folder (out/test-runner-extension). */
  runnerExtension: string;
  /** Where its .vsix is written. */
  runnerVsix: string;
  /** A folder holding the fixture PNGs; opened as the workspace, too. */
  fixtures: string;
  /** The reference Keras files (read only). */
  kerasFixtures: string;
  report: string;
  timeoutMs: number;
}

export async function extensionHostSuites(runner: Runner, options: ExtensionHostOptions): Promise<void> {
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let report: Report | undefined;
  const ok = await runner
    .check(
      'extension host: the mocha suites run inside code-server and write their report',
      async () => {
        for (const built of [options.suite, path.join(options.runnerExtension, 'extension.js')]) {
          if (!existsSync(built)) throw new Error(`${built} is missing: build it with "npm run build"`);
        }
        try {
          await createVSIX({
            cwd: options.runnerExtension,
            packagePath: options.runnerVsix,
            dependencies: false,
            skipLicense: true,
            allowMissingRepository: true,
          });
          await installExtension(options.runnerVsix, {
            extensionsDir: options.extensionsDir,
            userDataDir: options.userDataDir,
          });
          server = await startCodeServer({
            extensionsDir: options.extensionsDir,
            userDataDir: options.userDataDir,
            workspace: options.fixtures,
            env: {
              MNIST_EXTENSION_TESTS: options.suite,
              MNIST_TEST_REPORT: options.report,
              MNIST_TEST_FIXTURES: options.fixtures,
              MNIST_TEST_KERAS_FIXTURES: options.kerasFixtures,
            },
          });
          log(`code-server for the extension-host suites on ${server.url} (pid ${server.pid})`);
          session = await launchBrowser({ viewport: { width: 1280, height: 800 } });
          runner.page = session.page;
          await openWorkbench(session.page, server.url, options.fixtures);
          // The runner extension starts the suites once the workbench has started (nothing else may touch the
          // workbench meanwhile: the suites open panels, which would close a command palette, say).
          log('workbench open; waiting for the report');
          const text = await until(
            'the extension-host test report',
            async () => (existsSync(options.report) ? readFileSync(options.report, 'utf8') : ''),
            (t) => t.length > 0,
            { timeoutMs: options.timeoutMs, intervalMs: 1000 },
          );
          report = JSON.parse(text) as Report;
          return `${report.passed} passed, ${report.failed} failed`;
        } catch (error) {
          if (server)
            console.log(
              `--- code-server output (extension-host session, last lines) ---\n${tail(server.output(), 60)}`,
            );
          throw error;
        }
      },
      options.timeoutMs + 120_000,
    )
    .finally(async () => {
      runner.page = undefined;
      await session?.close().catch(() => {});
      await server?.stop();
    });
  if (!ok || !report) return;
  for (const test of report.tests) {
    runner.record({
      name: `extension host: ${test.title}`,
      ok: test.state === 'passed',
      ms: test.ms ?? 0,
      error: test.error,
    });
  }
  if (!report.tests.length)
    runner.record({
      name: 'extension host: the report lists tests',
      ok: false,
      ms: 0,
      error: 'the report lists no tests',
    });
}

export function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

export const defaultSuitePath = (root: string) => path.join(root, 'out', 'vscode-tests', 'index.js');
export const runnerExtensionPath = (root: string) => path.join(root, 'out', 'test-runner-extension');
