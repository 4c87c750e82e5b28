// Starts tfjs-backend-wasm from its Emscripten module factories, called by us with our own settings, so that
// nothing the rest of the process shares (os.cpus, URL.createObjectURL, the global Worker, process listeners) is
// replaced, even for a moment: the extension host runs every extension's code in this process.
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasmModule, WasmFactoryConfig } from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm';
import plainFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js';
import threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const WASM_FILES = {
  plain: 'tfjs-backend-wasm-simd.wasm',
  threaded: 'tfjs-backend-wasm-threaded-simd.wasm',
  /** The pthread worker script and the factory it loads, as real files (Node's Worker cannot start blob: URLs). */
  threadedWorker: 'tfjs-backend-wasm-threaded-simd.worker.js',
  threadedFactory: 'tfjs-backend-wasm-threaded-simd.js',
} as const;

/** The Emscripten module, with the function tfjs's bridge (module.tfjs) is made from. */
type WasmModule = BackendWasmModule & {
  cwrap(name: string, returnType: 'number' | null, argTypes: 'number'[]): (...args: number[]) => number;
};

/** tfjs's registration priority for wasm (tfjs-backend-wasm/src/base.ts). */
const WASM_PRIORITY = 2;

/**
 * Makes `tf.setBackend('wasm')` start the SIMD build from `wasmDir`, with `threads` threads (1 = the build without
 * threads). tfjs's own start would make the worker a blob: URL, read os.cpus() and leave Emscripten's process
 * listeners in place (they rethrow any unhandled rejection, which ends the process).
 */
export function registerWasmBackend(wasmDir: string, threads: number): void {
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      setThreadsCount(threads);
      return new BackendWasm(await createModule(wasmDir, threads));
    },
    WASM_PRIORITY,
  );
}

async function createModule(wasmDir: string, threads: number): Promise<WasmModule> {
  const threaded = threads > 1;
  const binary = await readFile(join(wasmDir, threaded ? WASM_FILES.threaded : WASM_FILES.plain));
  const config: WasmFactoryConfig = {
    locateFile: (path) => join(wasmDir, path.endsWith('.worker.js') ? WASM_FILES.threadedWorker : path),
    mainScriptUrlOrBlob: join(wasmDir, WASM_FILES.threadedFactory),
    // The module caps its thread pool at half the logical cores it is told about (two hyper-threads per core).
    instantiateWasm: (
      imports: WebAssembly.Imports,
      receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
    ) => {
      const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * threads };
      WebAssembly.instantiate(binary, { ...imports, env }).then(
        ({ instance, module }) => receive(instance, module),
        (err) => config.onAbort?.(String(err)),
      );
      return {};
    },
  };
  const module = await withoutLeftovers(
    () =>
      new Promise<WasmModule>((resolve, reject) => {
        config.onAbort = (message) => reject(new Error(`the wasm module failed to start: ${message}`));
        (threaded ? threadedFactory : plainFactory)(config).then((module) => resolve(module as WasmModule), reject);
      }),
  );
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * Runs `start` and, as soon as it returns (at its first await), removes the process listeners and the global
 * Worker it added: Emscripten's factory adds them synchronously, when it is called.
 */
function withoutLeftovers<T>(start: () => T): T {
  const listeners = () => [...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')];
  const before = new Set<unknown>(listeners());
  const worker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  try {
    return start();
  } finally {
    for (const listener of listeners()) {
      if (before.has(listener)) continue;
      process.removeListener('uncaughtException', listener as NodeJS.UncaughtExceptionListener);
      process.removeListener('unhandledRejection', listener as NodeJS.UnhandledRejectionListener);
    }
    if (worker) Object.defineProperty(globalThis, 'Worker', worker);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}
