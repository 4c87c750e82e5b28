// Smoke run of the e2e harness against any .vsix:
//   npx tsx test/e2e/probe.ts EXT.vsix [--workspace DIR] [--command "Title"] [--expect REGEX]
//     [--theme "Default Dark Modern"] [--shot out.png] [--limit SECONDS]
// Installs the extension into a throwaway code-server, opens the workbench in headless chromium,
// optionally runs a palette command and waits for a notification, and saves a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installExtension, startCodeServer, withTimeLimit, type CodeServer } from './codeServer';
import {
  launchBrowser,
  openWorkbench,
  runCommand,
  screenshot,
  setTheme,
  waitForNotification,
  type BrowserSession,
  type ThemeName,
} from './workbench';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workspace: { type: 'string' },
    command: { type: 'string' },
    expect: { type: 'string' },
    theme: { type: 'string' },
    shot: { type: 'string', default: 'e2e-probe.png' },
    limit: { type: 'string', default: '180' },
  },
});
if (positionals.length !== 1)
  throw new Error('usage: npx tsx test/e2e/probe.ts EXT.vsix [--workspace DIR] [--command TITLE] [--expect REGEX]');

const started = Date.now();
const log = (message: string) => console.log(`[probe +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'e2e-probe-'));
  const dirs = { extensionsDir: path.join(root, 'extensions'), userDataDir: path.join(root, 'user-data') };
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  try {
    await withTimeLimit(Number(values.limit) * 1000, 'e2e probe', async () => {
      await installExtension(positionals[0], dirs);
      log('extension installed');
      server = await startCodeServer({ ...dirs, workspace: path.resolve(values.workspace ?? root) });
      log(`code-server on ${server.url} (pid ${server.pid})`);
      session = await launchBrowser();
      log('browser started');
      await openWorkbench(session.page, server.url, path.resolve(values.workspace ?? root));
      log('workbench open');
      if (values.theme) await setTheme(session.page, values.theme as ThemeName);
      if (values.command) {
        await runCommand(session.page, values.command);
        log(`ran "${values.command}"`);
      }
      if (values.expect) log(`notification: ${await waitForNotification(session.page, new RegExp(values.expect))}`);
      await screenshot(session.page, values.shot!);
      log(`screenshot ${values.shot}`);
    });
  } catch (error) {
    if (session) await screenshot(session.page, values.shot!.replace(/\.png$/, '') + '-failure.png').catch(() => {});
    if (server) console.error(`code-server output:\n${server.output()}`);
    throw error;
  } finally {
    await session?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => log('ok'),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
