// Chooses the compute backend: native TensorFlow, then WebAssembly, then plain JS.
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
import type { BackendName, BackendPreference } from './backendNames';

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
    require(resolved);
    return undefined;
  } catch (err) {
    return `${NATIVE_PACKAGE} is installed but failed to load: ${firstLine(err)}`;
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

/** Selects and initialises a backend once per process; later calls return the first choice. */
export async function initBackend(
  preference: BackendPreference = 'auto',
  options: BackendOptions = {},
): Promise<BackendChoice> {
  if (current) return current;
  const notes: string[] = [];

  if (preference === 'auto' || preference === 'tensorflow') {
    const problem = loadNative(options.nativeSearchPaths ?? []);
    if (!problem && (await tf.setBackend('tensorflow'))) {
      return (current = { name: 'tensorflow', reason: 'native TensorFlow (@tensorflow/tfjs-node) loaded' });
    }
    notes.push(`native backend not used: ${problem ?? 'it failed to initialise'}`);
  } else {
    notes.push(`backend "${preference}" requested`);
  }

  if (preference !== 'cpu') {
    try {
      const threads = await useWasm(options.wasmDir ?? defaultWasmDir(), options.threads);
      const kind = threads > 1 ? `SIMD, ${threads} threads` : 'SIMD';
      return (current = { name: 'wasm', reason: `WebAssembly (${kind}); ${notes.join('; ')}` });
    } catch (err) {
      notes.push(`wasm backend not used: ${firstLine(err)}`);
    }
  }

  await tf.setBackend('cpu');
  return (current = { name: 'cpu', reason: `plain JavaScript; ${notes.join('; ')}`, warning: CPU_WARNING });
}

export function currentBackend(): BackendChoice | undefined {
  return current;
}
