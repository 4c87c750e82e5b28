// Chooses and starts the compute backend: native TensorFlow, WebAssembly or plain JS, per preference and task.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { registerTrainingKernels } from './wasm/trainingKernels';
import { canUseThreads, wantedThreads } from './wasm/threads';
import { registerWasmBackend, WASM_FILES } from './wasm/wasmBackend';
import { builtFile, projectRoot } from './paths';
import { backendsToTry, type BackendName, type BackendPreference, type BackendTask } from './backendNames';

export interface BackendChoice {
  name: BackendName;
  /** Why this backend runs, and why the faster ones did not. */
  reason: string;
  warning?: string;
}

export interface BackendOptions {
  /** Folders whose node_modules may hold @tensorflow/tfjs-node (besides the extension's own). */
  nativeSearchPaths?: string[];
  /** Folder holding the tfjs-backend-wasm .wasm binaries. */
  wasmDir?: string;
  /** Threads for the wasm backend (default: wantedThreads()); 1 = the single-threaded build. */
  threads?: number;
  /** What the process runs, for 'auto' (default: inference). */
  task?: BackendTask;
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';
const CPU_WARNING =
  'The plain JavaScript (cpu) backend trains this model at about 1 image/s; use wasm or tensorflow to train.';

/**
 * The entry file of @tensorflow/tfjs-node installed in the node_modules of one of `searchPaths` (absolute paths)
 * or of the extension itself; never in any folder above them, whose packages the user did not choose to run.
 */
export function findNativePackage(searchPaths: string[]): string | undefined {
  for (const folder of [...searchPaths.filter((path) => isAbsolute(path)), projectRoot()]) {
    const packageDir = join(folder, 'node_modules', NATIVE_PACKAGE);
    if (!existsSync(join(packageDir, 'package.json'))) continue;
    try {
      return require.resolve(packageDir);
    } catch {
      continue;
    }
  }
  return undefined;
}

function loadNative(searchPaths: string[]): string | undefined {
  const resolved = findNativePackage(searchPaths);
  if (!resolved) return `${NATIVE_PACKAGE} is not installed`;
  try {
    restoreUtilIsNullOrUndefined();
    requireQuietly(resolved);
    return undefined;
  } catch (err) {
    return `${NATIVE_PACKAGE} is installed but failed to load: ${firstLine(err)}`;
  }
}

/**
 * tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23 removed (VS Code's Electron and code-server may run a
 * newer Node than the one it was written for): puts it back, only when missing.
 */
function restoreUtilIsNullOrUndefined(): void {
  const util = require('node:util') as { isNullOrUndefined?: (value: unknown) => boolean };
  util.isNullOrUndefined ??= (value) => value === null || value === undefined;
}

const ALREADY_REGISTERED =
  /^(The kernel '\w+' for backend 'cpu' is already registered|Platform node has already been set|cpu backend was already registered)/;

/**
 * Requires tfjs-node without its own copies of tfjs warning, once per kernel, that the platform, the cpu backend and
 * its kernels are already registered (they are: ours, in the registry all copies of tfjs share).
 */
function requireQuietly(file: string): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!ALREADY_REGISTERED.test(String(args[0]))) warn(...args);
  };
  try {
    require(file);
  } finally {
    console.warn = warn;
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** The folder with the .wasm binaries: the build's copies, or the installed package's. */
export function defaultWasmDir(): string {
  if (existsSync(builtFile(WASM_FILES.plain))) return dirname(builtFile(WASM_FILES.plain));
  return dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILES.plain}`));
}

/** Starts the wasm backend, threaded when the build's worker file is there; returns the number of threads. */
async function useWasm(wasmDir: string, threads = wantedThreads()): Promise<number> {
  registerWasmBackend(wasmDir, canUseThreads(wasmDir, threads) ? threads : 1);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  registerTrainingKernels();
  return getThreadsCount();
}

let current: BackendChoice | undefined;

/**
 * Selects and initialises a backend once per process (TensorFlow.js has one global backend); later calls return the
 * first choice. 'auto' tries the backends measured fastest for `options.task` first (AUTO_BACKENDS).
 */
export async function initBackend(
  preference: BackendPreference = 'auto',
  options: BackendOptions = {},
): Promise<BackendChoice> {
  if (current) return current;
  const task = options.task ?? 'inference';
  const notes = [preference === 'auto' ? `auto, for ${task}` : `backend "${preference}" requested`];
  for (const name of backendsToTry(preference, task)) {
    const started = await startBackend(name, options);
    if (typeof started === 'string') {
      notes.push(`${name} backend not used: ${started}`);
      continue;
    }
    const reason = [started.reason, ...notes].join('; ');
    return (current = { name, reason, ...(name === 'cpu' && { warning: CPU_WARNING }) });
  }
  throw new Error(`no backend started: ${notes.join('; ')}`);
}

/** Starts one backend: what it is, or why it did not start. */
async function startBackend(name: BackendName, options: BackendOptions): Promise<{ reason: string } | string> {
  if (name === 'tensorflow') {
    const problem = loadNative(options.nativeSearchPaths ?? []);
    if (problem) return problem;
    if (!(await tf.setBackend('tensorflow'))) return 'it failed to initialise';
    return { reason: 'native TensorFlow (@tensorflow/tfjs-node)' };
  }
  if (name === 'wasm') {
    try {
      const threads = await useWasm(options.wasmDir ?? defaultWasmDir(), options.threads);
      return { reason: `WebAssembly (${threads > 1 ? `SIMD, ${threads} threads` : 'SIMD'})` };
    } catch (err) {
      return firstLine(err);
    }
  }
  await tf.setBackend('cpu');
  return { reason: 'plain JavaScript' };
}

export function currentBackend(): BackendChoice | undefined {
  return current;
}
