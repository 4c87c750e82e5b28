// Real Keras 3.15.1 (JAX backend, the venv test/keras/setup.sh makes) loads what `npm run mnist -- export` writes —
// the bundled model, a model trained here, each reference file re-exported and a model of every supported layer —
// and predicts as this engine does (within 1e-5), with the same test accuracy to the image; the engine reads its
// own exports back with identical predictions. Run with npm run test:keras.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { initBackend } from '../../src/engine/backend';
import { loadModel, saveModel } from '../../src/engine/model/storage';
import { BUNDLES, builtFile, bundledModelDir, defaultDataDir } from '../../src/engine/paths';
import { loadMnist } from '../../src/engine/data/idx';
import { evaluate } from '../../src/engine/evaluate';
import { predictProbabilities } from '../../src/engine/predict';
import { disposeModel } from '../../src/engine/training/train';

const run = promisify(execFile);
const cli = builtFile(BUNDLES.cli);
const python = resolve(process.env.KERAS_VENV_DIR ?? '.cache/keras-venv', 'bin/python');
const FIXTURES = resolve('test/fixtures/keras');
const INPUTS = join(FIXTURES, 'inputs.json');
const inputs = Float32Array.from((JSON.parse(readFileSync(INPUTS, 'utf8')) as number[][][]).flat(2));
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as { files: object };
const SOURCES = [bundledModelDir(), ...Object.keys(reference.files).map((name) => join(FIXTURES, name))];

/** A classifier with every layer class the engine reads and writes, its weights (batch statistics too) random. */
function everyLayerModel(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.rescaling({ scale: 2, offset: -0.5, inputShape: [28, 28, 1] }),
      tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU({ maxValue: 6 }),
      tfl.layers.averagePooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false }),
      tfl.layers.activation({ activation: 'tanh' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.dropout({ rate: 0.1 }),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({ units: 16, activation: 'relu' }),
      tfl.layers.reshape({ targetShape: [2, 2, 4] }),
      tfl.layers.globalMaxPooling2d({}),
      tfl.layers.dense({ units: 10 }),
      tfl.layers.softmax(),
    ],
  });
  let seed = 1;
  model.setWeights(model.weights.map((w) => tf.randomUniform(w.shape as number[], 0.1, 1, 'float32', seed++)));
  return model;
}

async function predictions(path: string): Promise<Float32Array> {
  const { model } = await loadModel(path);
  try {
    return predictProbabilities(model, inputs, 20);
  } finally {
    disposeModel(model);
  }
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  return Math.max(...Array.from(a, (value, i) => Math.abs(value - b[i])));
}

describe('.keras export, loaded by real Keras 3.15.1', () => {
  let dir: string;
  const exported = new Map<string, string>();

  before(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    if (!existsSync(python)) throw new Error(`${python} is missing: run bash test/keras/setup.sh first`);
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'mnist-keras-export-'));
    const everyLayer = join(dir, 'every-layer');
    const model = everyLayerModel();
    await saveModel(model, everyLayer, {
      architecture: 'every supported layer',
      epochsRun: 0,
      backend: 'wasm',
      trainingSeconds: 0,
      trainingImages: 0,
      date: new Date(0).toISOString(),
      tfjsVersion: tf.version_core,
    });
    disposeModel(model);
    const trained = join(dir, 'trained');
    await run(process.execPath, [
      cli,
      'train',
      '--epochs',
      '1',
      '--limit',
      '3000',
      '--out',
      trained,
      '--backend',
      'wasm',
    ]);
    for (const [i, source] of [...SOURCES, trained, everyLayer].entries()) {
      const out = join(dir, `export-${i}.keras`);
      const model = source === bundledModelDir() ? [] : ['--model', source];
      await run(process.execPath, [cli, 'export', ...model, '--out', out, '--backend', 'wasm']);
      exported.set(source, out);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each export back with the predictions of the model it came from, identical', async () => {
    for (const [source, out] of exported) {
      assert.equal(largestDifference(await predictions(out), await predictions(source)), 0, source);
    }
  });

  it("Keras's load_model loads each export and predicts as this engine does, within 1e-5 and to the image", async () => {
    const data = defaultDataDir();
    const test = ['--test', join(data, 't10k-images-idx3-ubyte.gz'), join(data, 't10k-labels-idx1-ubyte.gz')];
    const { stdout } = await run(python, ['test/keras/kerasPredict.py', INPUTS, ...test, ...exported.values()], {
      env: { ...process.env, KERAS_BACKEND: 'jax' },
      maxBuffer: 1 << 24,
    });
    const keras = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      keras: string;
      predictions: Record<string, number[][]>;
      correct: Record<string, number>;
    };
    assert.equal(keras.keras, '3.15.1');
    const mnist = loadMnist(defaultDataDir());
    for (const [source, out] of exported) {
      const diff = largestDifference(keras.predictions[out].flat(), await predictions(source));
      assert.ok(diff <= 1e-5, `${source}: largest difference from Keras ${diff}`);
      const { model } = await loadModel(source);
      const ours = Math.round((await evaluate(model, mnist.test)).accuracy * mnist.test.count);
      disposeModel(model);
      assert.equal(keras.correct[out], ours, `${source}: test digits right in Keras and here`);
    }
  });
});
