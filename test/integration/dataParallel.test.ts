import { BUNDLES, builtFile } from '../../src/engine/paths';
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend';
import { loadMnist, type Mnist } from '../../src/engine/data/idx';
import { normalise } from '../../src/engine/data/dataset';
import { createModel } from '../../src/engine/model/architecture';
import { DataParallelTrainer } from '../../src/engine/parallel/dataParallel';
import { defaultDataDir } from '../../src/engine/paths';
import { disposeModel, train, TrainingCancelledError } from '../../src/engine/training/train';

const workerFile = builtFile(BUNDLES.trainingWorker);
const subset = { epochs: 1, batchSize: 32, trainingSubset: 330, validationSplit: 0, earlyStoppingPatience: 0, seed: 3 };

/** Per-batch losses and final weights of a short seeded run on `images` images with `workers` threads. */
async function run(mnist: Mnist, workers: number, images: number) {
  const losses: number[] = [];
  const result = await train(
    mnist.train,
    { ...subset, trainingSubset: images },
    {
      parallelism: { workers, workerFile },
      onBatchEnd: (p) => void losses.push(p.loss),
    },
    createModel(1e-3, 5),
  );
  assert.equal(result.workers, workers);
  const weights = result.model.getWeights().map((w) => Array.from(w.dataSync()));
  disposeModel(result.model);
  return { losses, weights };
}

describe('data-parallel training (worker threads, wasm backend, real MNIST)', () => {
  let mnist: Mnist;
  before(async () => {
    if (!existsSync(workerFile)) throw new Error(`${workerFile} is missing: run npm run build first`);
    assert.equal((await initBackend('wasm')).name, 'wasm');
    mnist = loadMnist(defaultDataDir());
  });

  it('takes the same steps as training in one thread', async () => {
    const single = await run(mnist, 1, 320);
    const parallel = await run(mnist, 2, 320);
    assert.equal(parallel.losses.length, 10);
    const diff = Math.max(...parallel.weights.flatMap((w, i) => w.map((v, j) => Math.abs(v - single.weights[i][j]))));
    assert.ok(diff < 1e-5, `weights differ by ${diff}`);
  });

  it('splits a last partial batch (and uneven shares) with the same losses as one thread', async () => {
    // Weights are not compared here: Adam turns float noise in near-zero gradients into steps of up to the learning rate.
    const single = await run(mnist, 1, 330);
    const parallel = await run(mnist, 3, 330);
    assert.equal(parallel.losses.length, 11); // ten batches of 32 and one of 10, shared 3 + 3 + 4
    parallel.losses.forEach((loss, i) =>
      assert.ok(Math.abs(loss - single.losses[i]) < 1e-3, `batch ${i + 1}: loss ${loss} vs ${single.losses[i]}`),
    );
  });

  it("averages the workers' BatchNormalization statistics: one step moves the moving means as one thread does", async () => {
    // One batch of 32 in two shares of 16: the mean of the shares' batch means is the batch's mean. Only the first
    // BatchNormalization layer sees the same input in both runs: each worker normalises its share by the share's own
    // statistics, so the layers after it see other values.
    const step = async (workers: number) => {
      const result = await train(
        mnist.train,
        { ...subset, trainingSubset: 32 },
        { parallelism: { workers, workerFile } },
        createModel(1e-3, 4, 'strong'),
      );
      const means = Array.from(result.model.getLayer('batch_normalization').getWeights()[2].dataSync());
      disposeModel(result.model);
      return means;
    };
    const single = await step(1);
    const parallel = await step(2);
    // A step moves each mean a hundredth of the way (momentum 0.99) from 0 to the batch's mean.
    const largest = Math.max(...single.map(Math.abs));
    assert.ok(largest > 1e-5, `the moving means moved (largest ${largest})`);
    const diff = Math.max(...single.map((m, i) => Math.abs(m - parallel[i])));
    assert.ok(diff < 1e-4 * largest, `the moving means differ by ${diff}`);
  });

  it('keeps the tensor count of every worker flat from step to step', async () => {
    const model = createModel(1e-3, 9);
    const trainer = await DataParallelTrainer.start(model, 1e-3, 32, { workers: 2, workerFile });
    try {
      const examples = normalise(mnist.train, 0, 32);
      trainer.batch.fill(
        examples,
        Uint32Array.from({ length: 32 }, (_, i) => i),
        0,
        32,
      );
      const counts: number[][] = [];
      for (let step = 1; step <= 6; step++) {
        await trainer.step(32);
        if (step === 3 || step === 6) counts.push(await trainer.tensorCounts());
      }
      assert.deepEqual(counts[1], counts[0]);
    } finally {
      await trainer.dispose();
      disposeModel(model);
    }
  });

  it('stops at cancel and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const training = train(
      mnist.train,
      { ...subset, trainingSubset: 3200 },
      {
        parallelism: { workers: 2, workerFile },
        signal: controller.signal,
        onBatchEnd: (p) => {
          if (p.batch === 3) controller.abort();
        },
      },
    );
    await assert.rejects(training, TrainingCancelledError);
    assert.equal(tf.memory().numTensors, before);
  });

  it('reports a worker that fails to start, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-worker-'));
    const broken = join(dir, 'trainingWorker.js');
    writeFileSync(broken, "throw new Error('cannot load the engine');\n");
    try {
      await assert.rejects(
        train(mnist.train, subset, { parallelism: { workers: 4, workerFile: broken } }),
        /training worker \d crashed: cannot load the engine/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
