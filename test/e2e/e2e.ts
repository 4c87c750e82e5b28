// End-to-end suite: the packaged extension in a real VS Code workbench (code-server) driven by headless Chromium.
//
//   npm run test:e2e          (= setup.sh, npm run build, npm run package, then this file)
//   npx tsx test/e2e/e2e.ts [EXT.vsix]
//
// Environment: E2E_TIME_LIMIT_MIN (overall limit, default 25), E2E_ONLY (comma-separated subset of
// sketchpad,serve,classify,training,panels,keras,hostile,native,extension-host; panels needs training; native needs
// test/native/setup.sh's .cache/native), E2E_KEEP=1 (keep the temporary folder), E2E_SCREENSHOTS_DIR (where the
// README screenshots go: by default the temporary folder, so a test
// run changes no tracked file; `npm run screenshots` sets docs/), E2E_EXTENSION_TESTS (the bundled extension-host
// suite, default out/vscode-tests/index.js, which `npm run build` builds).
//
// First the .vsix's file list is checked (test/e2e/vsixContents.ts). Then code-server sessions, one after the
// other, each with its own user-data-dir (the .vsix is installed once into a shared throwaway extensions-dir):
//  1. the UI: sketchpad drawing, the network panel, the prediction server (curl, its page in the browser), Explorer
//     classification, training and cancelling, summary, evaluation, screenshots, Keras files (open with a click,
//     make active, export);
//  2. "hostile": a workspace whose mnist.modelPath names a model whose model.json is /dev/zero (test/e2e/steps/hostile.ts);
//  3. the native pass: "Install Native TensorFlow Backend" offline, then online from a local mirror of what
//     tfjs-node's install step downloads (test/e2e/nativeMirror.ts), then mnist.backend "tensorflow" at work;
//  4. the extension-host mocha suites (test/vscode/suite), loaded by a test-only runner extension, reporting as JSON.
// Prints PASS/FAIL per check and ends with "N passed, M failed"; exits non-zero on any failure.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { e2eCacheDir, installExtension, startCodeServer, withTimeLimit, type CodeServer } from './codeServer';
import { log, Runner } from './runner';
import { checkVsixContents } from './vsixContents';
import { classifySteps, WORKSPACE_JPEG, WORKSPACE_NOISE, WORKSPACE_PNGS } from './steps/classify';
import { noisePng } from '../fixtures/unlikeDigits';
import type { SuiteContext } from './steps/common';
import { defaultSuitePath, extensionHostSuites, runnerExtensionPath, tail } from './steps/extensionHost';
import { hostileSteps } from './steps/hostile';
import { copyKerasModel, kerasSteps } from './steps/keras';
import { panelSteps } from './steps/panels';
import { nativeSteps, writeNativeSettings } from './steps/native';
import { nativeMirror, type NativeMirror } from './nativeMirror';
import { serveSteps, SERVE_SETTINGS } from './steps/serve';
import { sketchpadSteps } from './steps/sketchpad';
import { networkSteps } from './steps/network';
import { QUICK_TRAINING, trainingSteps, writeWorkspaceSettings } from './steps/training';
import { launchBrowser, openWorkbench, type BrowserSession } from './workbench';

const repo = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string };
const vsix = path.resolve(process.argv[2] ?? path.join(repo, `${pkg.name}-${pkg.version}.vsix`));
const limitMs = Number(process.env.E2E_TIME_LIMIT_MIN ?? 25) * 60_000;
const only = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split(',').map((s) => s.trim())) : undefined;
const wants = (group: string) => !only || only.has(group);
const fixtures = path.join(repo, 'test', 'fixtures', 'png');
const kerasFixtures = path.join(repo, 'test', 'fixtures', 'keras');
const screenshotsDir = process.env.E2E_SCREENSHOTS_DIR ? path.resolve(process.env.E2E_SCREENSHOTS_DIR) : undefined;
const failuresDir = path.join(e2eCacheDir, 'failures');

const runner = new Runner(failuresDir);
const servers: CodeServer[] = [];
let session: BrowserSession | undefined;

/** A workbench session: the UI steps, or the native pass (its own user data, tfjs-node in its global storage). */
async function uiSession(root: string, dirs: { extensionsDir: string }, native = false): Promise<void> {
  const workspace = path.join(root, native ? 'workspace-native' : 'workspace');
  const userDataDir = path.join(root, native ? 'user-data-native' : 'user-data-ui');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  for (const file of Object.keys(WORKSPACE_PNGS)) copyFileSync(path.join(fixtures, file), path.join(workspace, file));
  const jpeg = WORKSPACE_JPEG.file;
  copyFileSync(path.join(repo, 'test', 'fixtures', 'jpeg', jpeg), path.join(workspace, jpeg));
  writeFileSync(path.join(workspace, WORKSPACE_NOISE), noisePng(9));
  let mirror: NativeMirror | undefined;
  if (native) {
    writeNativeSettings(workspace);
    mirror = await nativeMirror(path.join(repo, '.cache', 'native', 'mirror'));
  } else writeWorkspaceSettings(workspace, { ...QUICK_TRAINING, ...SERVE_SETTINGS });
  if (!native && wants('keras')) copyKerasModel(repo, workspace);

  const failedBefore = runner.failed;
  const server = await startCodeServer({ ...dirs, userDataDir, workspace, env: mirror?.env });
  servers.push(server);
  log(`code-server on ${server.url} (pid ${server.pid}), workspace ${workspace}`);
  session = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  runner.page = session.page;
  const ctx: SuiteContext = {
    page: session.page,
    runner,
    workspace,
    screenshotsDir: screenshotsDir ?? path.join(root, 'screenshots'),
    facts: {},
  };
  log(`screenshots go to ${ctx.screenshotsDir}`);
  const opened = await runner.check(
    'workbench: opens on the workspace with the fixture PNGs in the Explorer',
    async () => {
      await openWorkbench(ctx.page, server.url, workspace);
      await ctx.page
        .locator('.explorer-folders-view .monaco-list-row', { hasText: 'seven-grey8.png' })
        .waitFor({ timeout: 30_000 });
      await ctx.page.evaluate(() => document.fonts.ready);
    },
    90_000,
  );
  if (!opened) return;

  if (mirror) {
    const started = mirror;
    await nativeSteps(ctx, userDataDir, started).finally(() => started.stop());
  } else {
    if (wants('sketchpad')) {
      await sketchpadSteps(ctx);
      await networkSteps(ctx);
    }
    if (wants('serve')) await serveSteps(ctx);
    if (wants('classify')) await classifySteps(ctx);
    if (wants('training')) await trainingSteps(ctx);
    if (wants('panels')) await panelSteps(ctx);
    if (wants('keras')) await kerasSteps(ctx);
  }

  if (runner.failed > failedBefore)
    console.log(
      `--- code-server output (${native ? 'native' : 'UI'} session, last lines) ---\n${tail(server.output(), 60)}`,
    );
  runner.page = undefined;
  await session.close();
  session = undefined;
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'mnist-e2e-'));
  const dirs = { extensionsDir: path.join(root, 'extensions'), userDataDir: path.join(root, 'user-data-install') };
  log(`vsix ${path.relative(repo, vsix)}; temporary folder ${root}; time limit ${limitMs / 60_000} min`);
  rmSync(failuresDir, { recursive: true, force: true });
  try {
    await withTimeLimit(limitMs, `e2e suite (E2E_TIME_LIMIT_MIN=${limitMs / 60_000})`, async () => {
      await runner.check('package: the .vsix holds what .vscodeignore lets in, no test code, source maps or CLI', () =>
        Promise.resolve(checkVsixContents(vsix, path.join(repo, '.vscodeignore'))),
      );
      const installed = await runner.check(
        'install: code-server --install-extension the .vsix',
        async () => {
          const output = await installExtension(vsix, dirs);
          return output
            .split('\n')
            .find((line) => /successfully installed/i.test(line))
            ?.trim();
        },
        180_000,
      );
      if (!installed) return;
      if (['sketchpad', 'serve', 'classify', 'training', 'panels', 'keras'].some(wants)) await uiSession(root, dirs);
      if (wants('hostile')) {
        await hostileSteps(runner, root, { ...dirs, userDataDir: path.join(root, 'user-data-hostile') }).catch(
          (error: unknown) => runner.record({ name: 'hostile', ok: false, ms: 0, error: String(error) }),
        );
      }
      if (wants('native')) await uiSession(root, dirs, true);
      if (wants('extension-host')) {
        copyFixtures(path.join(root, 'fixtures'));
        await extensionHostSuites(runner, {
          ...dirs,
          userDataDir: path.join(root, 'user-data-exthost'),
          suite: path.resolve(process.env.E2E_EXTENSION_TESTS ?? defaultSuitePath(repo)),
          runnerExtension: runnerExtensionPath(repo),
          runnerVsix: path.join(root, 'mnist-digits-test-runner.vsix'),
          fixtures: path.join(root, 'fixtures'),
          kerasFixtures,
          report: path.join(root, 'extension-host-report.json'),
          timeoutMs: 8 * 60_000,
        }).catch((error: unknown) => runner.record({ name: 'extension host', ok: false, ms: 0, error: String(error) }));
      }
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    runner.record({
      name: 'e2e suite',
      ok: false,
      ms: 0,
      error: /time limit/.test(message) ? `${message} — stopping; the checks not reached did not run` : message,
    });
    await runner.photograph('time-limit');
  } finally {
    if (runner.failed)
      for (const server of servers)
        console.log(`--- code-server output (last lines) ---\n${tail(server.output(), 60)}`);
    await session?.close().catch(() => {});
    for (const server of servers) await server.stop().catch(() => {});
    if (process.env.E2E_KEEP === '1') log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

function copyFixtures(target: string): void {
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(fixtures)) copyFileSync(path.join(fixtures, file), path.join(target, file));
}

// A last resort if cleaning up itself hangs: the exit handler in codeServer.ts kills the process groups.
const watchdog = setTimeout(() => {
  console.error(`e2e: still running ${Math.round(limitMs / 60_000) + 2} min after the start; exiting`);
  process.exit(2);
}, limitMs + 120_000);
watchdog.unref();

main().then(
  () => {
    if (runner.failed) {
      console.log('Failed checks:');
      for (const r of runner.results.filter((x) => !x.ok)) console.log(`  - ${r.name}`);
    }
    console.log(runner.summary());
    process.exit(runner.failed ? 1 : 0);
  },
  (error: unknown) => {
    console.error(error);
    console.log(runner.summary());
    process.exit(1);
  },
);
