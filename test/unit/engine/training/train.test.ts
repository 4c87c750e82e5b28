import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadMnist, type Mnist } from '../../../../src/engine/data/idx';
import { IMAGE_SIZE } from '../../../../src/shared/mnistImage';
import { ARCHITECTURE_LAYOUTS } from '../../../../src/engine/model/architecture';
import { ModelFileError } from '../../../../src/engine/model/modelFiles';
import { defaultDataDir } from '../../../../src/engine/paths';
import { predictDigit, predictProbabilities } from '../../../../src/engine/predict';
import { loadModel, saveModel, trainedModelMetadata } from '../../../../src/engine/model/storage';
import { METADATA_FILE, MODEL_FILE, type ModelMetadata } from '../../../../src/engine/model/metadata';
import { disposeModel, train, TrainingCancelledError, type TrainResult } from '../../../../src/engine/training/train';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/engine/training/trainOptions';

const metadata = (accuracy: number): ModelMetadata => ({
  architecture: ARCHITECTURE_LAYOUTS.seed,
  epochsRun: 1,
  testAccuracy: accuracy,
  backend: TEST_BACKEND,
  trainingSeconds: 1,
  trainingImages: 2000,
  date: new Date().toISOString(),
  tfjsVersion: tf.version_core,
});

describe(`training, evaluation and storage (${TEST_BACKEND} backend, real MNIST)`, () => {
  let mnist: Mnist;
  let trained: TrainResult;
  const batchEnds: number[] = [];

  before(async () => {
    await startTestBackend();
    mnist = loadMnist(defaultDataDir());
    trained = await train(
      mnist.train,
      { epochs: 4, trainingSubset: 2000, seed: 7 },
      { onBatchEnd: (p) => void batchEnds.push(p.batch) },
    );
  });
  after(() => disposeModel(trained.model));

  it('learns: a 2,000-image run reaches over 90% on 1,000 test images', async () => {
    const evaluation = await evaluate(trained.model, mnist.test, { limit: 1000 });
    assert.equal(evaluation.n, 1000);
    assert.ok(evaluation.accuracy > 0.9, `accuracy ${evaluation.accuracy}`);
    assert.equal(
      evaluation.confusion.flat().reduce((a, b) => a + b, 0),
      1000,
    );
    assert.equal(evaluation.misclassified.length, Math.round(1000 * (1 - evaluation.accuracy)));
    for (const m of evaluation.misclassified) assert.notEqual(m.label, m.predicted);
  });

  it('reports every batch and epoch with validation figures', () => {
    assert.equal(trained.history.length, 4);
    const batches = Math.ceil(1800 / DEFAULT_TRAIN_OPTIONS.batchSize);
    assert.equal(batchEnds.length, 4 * batches);
    assert.deepEqual(batchEnds.slice(0, 3), [1, 2, 3]);
    for (const epoch of trained.history) {
      assert.ok(epoch.valLoss! > 0 && epoch.valAccuracy! > 0 && epoch.imagesPerSecond > 0);
    }
    assert.ok(trained.history[3].loss < trained.history[0].loss, 'the training loss goes down');
  });

  it('counts the images trained on apart from those held out for validation, and records both', () => {
    // 2,000 images with the default split of 0.1.
    assert.equal(trained.trainingImages, 1800);
    assert.equal(trained.validationImages, 200);
    const recorded = trainedModelMetadata(trained, { accuracy: 0.9, loss: 0.3 }, TEST_BACKEND, DEFAULT_TRAIN_OPTIONS, {
      architecture: ARCHITECTURE_LAYOUTS.seed,
    });
    assert.equal(recorded.trainingImages, 1800);
    assert.equal(recorded.validationImages, 200);
  });

  it('is reproducible with the same seed', async () => {
    const a = await train(mnist.train, { epochs: 1, trainingSubset: 320, seed: 3, validationSplit: 0 });
    const b = await train(mnist.train, { epochs: 1, trainingSubset: 320, seed: 3, validationSplit: 0 });
    assert.equal(a.history[0].loss, b.history[0].loss);
    disposeModel(a.model);
    disposeModel(b.model);
  });

  it('stops within one batch when cancelled, and frees everything', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let lastBatch = 0;
    await assert.rejects(
      train(
        mnist.train,
        { epochs: 2, trainingSubset: 3200 },
        {
          signal: controller.signal,
          onBatchEnd: ({ batch }) => {
            lastBatch = batch;
            if (batch === 5) controller.abort();
          },
        },
      ),
      TrainingCancelledError,
    );
    assert.equal(lastBatch, 5);
    assert.equal(tf.memory().numTensors, before);
  });

  it('leaks no tensors across a training run or 1,000 predictions', async () => {
    const beforeTraining = tf.memory().numTensors;
    const result = await train(mnist.train, {
      epochs: 3,
      trainingSubset: 640,
      earlyStoppingPatience: 1,
      augment: true,
    });
    disposeModel(result.model);
    assert.equal(tf.memory().numTensors, beforeTraining);
    const beforePredictions = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) predictDigit(trained.model, testImage(i));
    assert.equal(tf.memory().numTensors, beforePredictions);
  });

  it('saves and loads a model that gives identical predictions, with its metadata', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'model-')), 'cnn');
    await saveModel(trained.model, dir, metadata(0.93));
    assert.ok(existsSync(join(dir, MODEL_FILE)) && existsSync(join(dir, METADATA_FILE)));
    const loaded = await loadModel(dir);
    const images = firstTestImages(50);
    assert.deepEqual(predictProbabilities(loaded.model, images), predictProbabilities(trained.model, images));
    assert.equal(loaded.metadata?.testAccuracy, 0.93);
    assert.equal(JSON.parse(readFileSync(join(dir, METADATA_FILE), 'utf8')).architecture, ARCHITECTURE_LAYOUTS.seed);
    disposeModel(loaded.model);
  });

  it('keeps the previous model when a save fails before it completes', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'model-')), 'cnn');
    await saveModel(trained.model, dir, metadata(0.93));
    const other = await train(mnist.train, { epochs: 1, trainingSubset: 64, validationSplit: 0 });
    await assert.rejects(
      saveModel(other.model, dir, metadata(0.5), {
        beforeCommit: () => {
          throw new Error('simulated crash');
        },
      }),
      /simulated crash/,
    );
    disposeModel(other.model);
    const loaded = await loadModel(dir);
    assert.equal(loaded.metadata?.testAccuracy, 0.93);
    const images = firstTestImages(20);
    assert.deepEqual(predictProbabilities(loaded.model, images), predictProbabilities(trained.model, images));
    disposeModel(loaded.model);
    // The next successful save cleans up what the failed one left.
    await saveModel(trained.model, dir, metadata(0.94));
    assert.equal(readdirSync(dir).filter((name) => name.endsWith('.bin')).length, 1);
  });

  it('gives a clear error for damaged, truncated, foreign or missing model files', async () => {
    const good = join(mkdtempSync(join(tmpdir(), 'model-')), 'cnn');
    await saveModel(trained.model, good, metadata(0.93));
    const variant = (name: string, change: (dir: string) => void) => {
      const dir = join(good, '..', name);
      cpSync(good, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const modelJson = (dir: string) => join(dir, MODEL_FILE);
    const weights = (dir: string) =>
      join(
        dir,
        readdirSync(dir).find((n) => n.endsWith('.bin'))!,
      );
    const cases: [string, (dir: string) => void, RegExp][] = [
      [
        'truncated-json',
        (d) => writeFileSync(modelJson(d), readFileSync(modelJson(d), 'utf8').slice(0, 200)),
        /is damaged or truncated: it is not valid JSON/,
      ],
      [
        'foreign-json',
        (d) => writeFileSync(modelJson(d), '{"name": "some package"}'),
        /is not a TensorFlow.js Layers model/,
      ],
      [
        'truncated-weights',
        (d) => writeFileSync(weights(d), readFileSync(weights(d)).subarray(0, 1000)),
        /weights are damaged or truncated: 1000 bytes, expected \d+/,
      ],
    ];
    for (const [name, change, pattern] of cases) {
      await assert.rejects(
        loadModel(variant(name, change)),
        (err: Error) => err instanceof ModelFileError && pattern.test(err.message),
        name,
      );
    }
    const noWeights = variant('no-weights', (d) => rmSync(weights(d)));
    await assert.rejects(loadModel(noWeights), /weights file is missing or unreadable/);
    await assert.rejects(loadModel(join(good, '..', 'nothing-here')), /no model here \(model.json is missing\)/);
    const wrongShape = variant('wrong-shape', (d) => {
      const json = JSON.parse(readFileSync(modelJson(d), 'utf8'));
      json.modelTopology.config.layers[0].config.batch_input_shape = [null, 32, 32, 1];
      writeFileSync(modelJson(d), JSON.stringify(json));
    });
    await assert.rejects(loadModel(wrongShape), ModelFileError);
  });

  function firstTestImages(count: number): Float32Array {
    return Float32Array.from(mnist.test.images.subarray(0, count * IMAGE_SIZE), (v) => v / 255);
  }
  function testImage(i: number): Float32Array {
    return Float32Array.from(mnist.test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), (v) => v / 255);
  }
});
