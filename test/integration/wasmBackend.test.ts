// Starting the wasm backend leaves the process's shared state alone (the extension host runs every extension):
// os.cpus, URL.createObjectURL and the global Worker are never replaced, and no process listener is left that
// would turn another extension's unhandled rejection into the end of the process.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { builtFile } from '../../src/engine/paths';
import { WASM_FILES } from '../../src/engine/wasm/wasmBackend';

const run = promisify(execFile);

async function startIn(threads: number) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/wasmStartProbe.ts'], {
    env: { ...process.env, MNIST_WASM_THREADS: String(threads) },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('wasm backend start (child processes)', () => {
  before(() => {
    if (!existsSync(builtFile(WASM_FILES.threadedWorker))) throw new Error('the build is missing: run npm run build');
  });

  for (const threads of [2, 1]) {
    it(`${threads === 1 ? 'single-threaded' : 'threaded'}: computes, changes nothing shared, survives a stray rejection`, async () => {
      const result = await startIn(threads);
      assert.match(result.reason, threads === 1 ? /^WebAssembly \(SIMD\)/ : /^WebAssembly \(SIMD, 2 threads\)/);
      assert.equal(result.product, 64 * 64 * 64);
      assert.equal(result.changedWhileStarting, false);
      assert.equal(result.changedAfter, false);
    });
  }
});
