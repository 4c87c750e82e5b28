// The backend the engine suites run on: wasm by default, native TensorFlow with MNIST_TEST_BACKEND=tensorflow
// (npm run test:native, after test/native/setup.sh has put @tensorflow/tfjs-node in .cache/native).
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { initBackend, type BackendChoice } from '../src/engine/backend';
import type { BackendName } from '../src/engine/backendNames';

function testBackend(): BackendName {
  const name = process.env.MNIST_TEST_BACKEND ?? 'wasm';
  if (name !== 'wasm' && name !== 'tensorflow')
    throw new Error(`MNIST_TEST_BACKEND must be wasm or tensorflow (got "${name}")`);
  return name;
}

export const TEST_BACKEND = testBackend();

/** Where test/native/setup.sh installs @tensorflow/tfjs-node (a search folder: its node_modules holds the package). */
export const NATIVE_DIR = resolve(__dirname, '..', '.cache', 'native');

/** Starts the backend under test in this process; fails, naming why, when it is not the one that starts. */
export async function startTestBackend(): Promise<BackendChoice> {
  const choice = await initBackend(TEST_BACKEND, { nativeSearchPaths: [NATIVE_DIR] });
  assert.equal(choice.name, TEST_BACKEND, `the ${TEST_BACKEND} backend did not start: ${choice.reason}`);
  return choice;
}

/** The CLI flags that run a dist/cli.js command on the backend under test. */
export const CLI_BACKEND_ARGS = ['--backend', TEST_BACKEND, '--native-dir', NATIVE_DIR];
