// mnist.backend 'auto' per task, with native TensorFlow installed (npm run test:native): each CLI run is a process
// of its own, as the extension host and the training process are.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BUNDLES, builtFile } from '../../src/engine/paths';
import { NATIVE_DIR } from '../testBackend';

const run = promisify(execFile);

async function backendOf(...args: string[]): Promise<string> {
  const cli = builtFile(BUNDLES.cli);
  const { stdout } = await run(process.execPath, [cli, ...args, '--native-dir', NATIVE_DIR, '--json'], {
    env: { ...process.env, MNIST_TRAINING_WORKERS: '1' },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!).backend;
}

describe('auto backend per task, native TensorFlow installed (dist/cli.js)', () => {
  it('evaluates a batch of test images on native TensorFlow', async () => {
    assert.equal(await backendOf('evaluate', '--limit', '500'), 'tensorflow');
  });

  it('classifies single images on wasm', async () => {
    assert.equal(await backendOf('classify', resolve('test/fixtures/png/seven-grey8.png')), 'wasm');
  });

  it('trains on native TensorFlow', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mnist-auto-'));
    try {
      assert.equal(await backendOf('train', '--epochs', '1', '--limit', '300', '--out', out), 'tensorflow');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('forcing a backend forces it for every task', async () => {
    assert.equal(
      await backendOf('classify', resolve('test/fixtures/png/seven-grey8.png'), '--backend', 'tensorflow'),
      'tensorflow',
    );
    assert.equal(await backendOf('evaluate', '--limit', '500', '--backend', 'wasm'), 'wasm');
  });
});
