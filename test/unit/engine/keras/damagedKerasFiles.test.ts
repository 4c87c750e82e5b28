// Damaged and hostile Keras files, made from the real ones in test/fixtures/keras: truncations, bit flips, swapped or
// missing members, inflation bombs, edited configs (Lambda layers, custom objects, unsupported layers, wrong shapes).
// Each gives a ModelFileError naming the file within a few seconds, or (a bit flip inside a weight or a name) loads.
import * as tf from '@tensorflow/tfjs-core';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../../../src/engine/backend';
import { writeHdf5, type H5Group } from '../../../../src/engine/keras/hdf5';
import { ModelFileError } from '../../../../src/engine/model/modelFiles';
import { loadModel } from '../../../../src/engine/model/storage';
import { predictProbabilities } from '../../../../src/engine/predict';
import { disposeModel } from '../../../../src/engine/training/train';

const FIXTURES = 'test/fixtures/keras';
const MAX_SECONDS = 5;
const CNN = readFileSync(join(FIXTURES, 'seed003/model.keras'));
const MLP = readFileSync(join(FIXTURES, 'mlp/mnist_mlp.keras'));
const CNN_H5 = readFileSync(join(FIXTURES, 'seed000/mnist_model.h5'));
const MLP_H5 = readFileSync(join(FIXTURES, 'mlp/mnist_mlp.h5'));
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8'));
const inputs = Float32Array.from(
  (JSON.parse(readFileSync(join(FIXTURES, 'inputs.json'), 'utf8')) as number[][][]).flat(2),
);

type Json = Record<string, any>;

interface Case {
  name: string;
  bytes: Uint8Array;
  ext: '.keras' | '.h5';
  /** Words the message must contain (besides the file's path). */
  says?: RegExp;
  /** A damage that may leave a loadable model (a flipped bit inside a weight value or a name). */
  mayLoad?: boolean;
}

const members = (zip: Uint8Array) => unzipSync(zip);
const configOf = (zip: Uint8Array): Json => JSON.parse(new TextDecoder().decode(members(zip)['config.json']));
function rezip(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => Zippable): Uint8Array {
  return zipSync(change({ ...members(zip) }), { level: 0 });
}
function withConfig(zip: Uint8Array, edit: (config: Json) => void): Uint8Array {
  const config = configOf(zip);
  edit(config);
  return rezip(zip, (files) => ({ ...files, 'config.json': strToU8(JSON.stringify(config)) }));
}
const layersOf = (config: Json): Json[] => config.config.layers;

/** A small deterministic generator, so that a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function truncations(name: string, bytes: Uint8Array, ext: Case['ext']): Case[] {
  const lengths = [0, 1, 7, 8, 30, 100, 512, 1000, 2048, 4096, 10_000, 50_000, 200_000, 600_000];
  lengths.push(...[0.5, 0.9, 0.99].map((f) => Math.floor(bytes.length * f)), bytes.length - 1);
  return lengths.map((length) => ({ name: `${name} cut to ${length} bytes`, bytes: bytes.subarray(0, length), ext }));
}

function bitFlips(name: string, bytes: Uint8Array, ext: Case['ext'], count: number, seed: number): Case[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    // Half the flips land in the first 4 KB (headers, config, HDF5's superblock and object headers).
    const position = Math.floor(next() < 0.5 ? next() * 4096 : next() * bytes.length);
    const copy = Uint8Array.from(bytes);
    copy[position] ^= 1 << Math.floor(next() * 8);
    return { name: `${name} bit flip at byte ${position}`, bytes: copy, ext, mayLoad: true };
  });
}

function configEdits(): Case[] {
  const edit = (name: string, says: RegExp, change: (config: Json) => void, zip = CNN): Case => ({
    name,
    bytes: withConfig(zip, change),
    ext: '.keras',
    says,
  });
  const conv = (config: Json) => layersOf(config)[1];
  return [
    edit('a Lambda layer', /"conv2d_3" \(Lambda\).*Python code/, (c) => {
      conv(c).class_name = 'Lambda';
      conv(c).config.function = { class_name: '__lambda__', config: { code: 'aW1wb3J0IG9z' } };
    }),
    edit('a custom layer', /custom object/, (c) => {
      conv(c).module = 'my_package.layers';
      conv(c).registered_name = 'my_package>Conv2D';
    }),
    edit('an LSTM layer', /"conv2d_3" \(LSTM\) is not supported/, (c) => (conv(c).class_name = 'LSTM')),
    edit('channels_first', /channels_first/, (c) => (conv(c).config.data_format = 'channels_first')),
    edit('an unknown activation', /activation "gelu_custom"/, (c) => (conv(c).config.activation = 'gelu_custom')),
    edit('a Python activation object', /activation/, (c) => {
      conv(c).config.activation = { module: 'builtins', class_name: 'function', config: 'eval' };
    }),
    edit('a billion filters', /filters/, (c) => (conv(c).config.filters = 1e9)),
    edit('a negative kernel size', /kernel_size/, (c) => (conv(c).config.kernel_size = [-3, 3])),
    edit('float16 layers', /float16/, (c) => (conv(c).config.dtype = 'float16')),
    edit('grouped convolution', /groups/, (c) => (conv(c).config.groups = 2)),
    edit('a wider layer than its weights', /do not fit|parameters/, (c) => (conv(c).config.filters = 33)),
    edit('10 outputs → 5', /digit classifier|parameters/, (c) => (layersOf(c).at(-1)!.config.units = 5)),
    edit('a 32x32x3 input', /digit classifier|parameters/, (c) => {
      layersOf(c)[0].config.batch_shape = [null, 32, 32, 3];
    }),
    edit('no layers', /without layers/, (c) => (c.config.layers = [])),
    edit('layers not a list', /list of layers/, (c) => (c.config.layers = { a: 1 })),
    edit(
      'a Functional model class',
      /only Sequential and Functional|model of class/,
      (c) => (c.class_name = 'Pipeline'),
    ),
    edit('a two-input Functional model', /called more or less than once|input_layers/, (c) => {
      c.class_name = 'Functional';
      c.config.input_layers = [
        ['a', 0, 0],
        ['b', 0, 0],
      ];
    }),
    edit('a layer name with a slash', /name that is not allowed/, (c) => (conv(c).config.name = '../x')),
    edit('an input shape without a batch', /input shape/, (c) => (layersOf(c)[0].config.batch_shape = [28, 28, 1])),
    edit('a layer without a config', /without a config/, (c) => delete conv(c).config),
    edit('two Dense layers swapped', /do not fit|expects|parameters/, (c) => {
      const layers = layersOf(c);
      [layers[5], layers[6]] = [layers[6], layers[5]];
    }),
    edit(
      'a Dropout rate of 2',
      /rate/,
      (c) => layersOf(c).splice(6, 0, { class_name: 'Dropout', config: { name: 'd', rate: 2 } }),
      MLP,
    ),
  ];
}

function memberCases(): Case[] {
  const cnn = members(CNN);
  const mlp = members(MLP);
  const keras = (name: string, files: Zippable, says: RegExp, level = 0): Case => ({
    name,
    bytes: zipSync(files, { level: level as 0 }),
    ext: '.keras',
    says,
  });
  return [
    keras(
      'no config.json',
      { 'metadata.json': cnn['metadata.json'], 'model.weights.h5': cnn['model.weights.h5'] },
      /no config\.json/,
    ),
    keras('no weights', { 'config.json': cnn['config.json'] }, /no model\.weights\.h5/),
    keras(
      'config and weights swapped',
      { 'config.json': cnn['model.weights.h5'], 'model.weights.h5': cnn['config.json'] },
      /JSON|too large|HDF5/,
    ),
    keras(
      'the MLP weights with the CNN config',
      { 'config.json': cnn['config.json'], 'model.weights.h5': mlp['model.weights.h5'] },
      /expects 2 weights|holds 0/,
    ),
    keras(
      'the CNN weights with the MLP config',
      { 'config.json': mlp['config.json'], 'model.weights.h5': cnn['model.weights.h5'] },
      /do not fit|parameters/,
    ),
    keras(
      'weights as npz',
      { 'config.json': cnn['config.json'], 'model.weights.npz': cnn['model.weights.h5'] },
      /no model\.weights\.h5/,
    ),
    keras(
      'config.json is an array',
      { 'config.json': strToU8('[1,2]'), 'model.weights.h5': cnn['model.weights.h5'] },
      /no model config/,
    ),
    keras(
      'config.json is not UTF-8',
      { 'config.json': Uint8Array.of(0xff, 0xfe, 0x7b), 'model.weights.h5': cnn['model.weights.h5'] },
      /not valid JSON/,
    ),
    keras(
      'config.json nested 100,000 deep',
      { 'config.json': strToU8('['.repeat(100_000)), 'model.weights.h5': cnn['model.weights.h5'] },
      /not valid JSON/,
    ),
    keras(
      'config.json inflating to 5 MB (bomb)',
      { 'config.json': strToU8(' '.repeat(5 * 2 ** 20)), 'model.weights.h5': cnn['model.weights.h5'] },
      /inflate to more than the limit/,
      9,
    ),
    keras(
      'weights that are not HDF5',
      { 'config.json': cnn['config.json'], 'model.weights.h5': strToU8('not hdf5 at all') },
      /not an HDF5 file/,
    ),
    keras('an empty archive', {}, /no config\.json/),
    {
      name: 'a PNG named .keras',
      bytes: readFileSync('test/fixtures/png/seven-grey8.png'),
      ext: '.keras',
      says: /zip/,
    },
    { name: 'a .keras that is HDF5', bytes: CNN_H5, ext: '.keras', says: /zip/ },
    { name: 'a .h5 that is a zip', bytes: CNN, ext: '.h5', says: /not an HDF5 file/ },
    { name: 'an empty .h5', bytes: new Uint8Array(0), ext: '.h5', says: /not an HDF5 file/ },
    {
      name: 'a declared member size of 4 GB',
      bytes: declareHugeMember(CNN),
      ext: '.keras',
      says: /inflate|zip|damaged/,
    },
  ];
}

/** The archive with config.json's uncompressed size in the central directory set to 0xFFFFFFF0. */
function declareHugeMember(zip: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(zip);
  const view = new DataView(copy.buffer);
  for (let i = copy.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(i + 28, true);
    if (new TextDecoder().decode(copy.subarray(i + 46, i + 46 + nameLength)) === 'config.json') {
      view.setUint32(i + 24, 0xfffffff0, true);
      return copy;
    }
  }
  throw new Error('no central directory entry for config.json');
}

/** A legacy .h5 written here: the MLP's model_config and weights in the layout `layout` gives. */
async function legacyH5(
  edit: (config: Json) => void,
  layout: (root: H5Group, weights: Float32Array[][]) => void,
): Promise<Uint8Array> {
  const config = configOf(MLP);
  edit(config);
  const weights = mlpWeights();
  return writeHdf5((root) => {
    root.create_attribute('model_config', JSON.stringify({ class_name: config.class_name, config: config.config }));
    layout(root, weights);
  });
}

/** The MLP's two Dense layers' kernel and bias, read from the reference .h5 through the .keras members' order. */
let mlpWeightCache: Float32Array[][] | undefined;
function mlpWeights(): Float32Array[][] {
  assert.ok(mlpWeightCache, 'mlpWeights() before before()');
  return mlpWeightCache;
}

/** Keras 2's layout: model_weights/<layer>/<layer>/kernel:0, with layer_names and weight_names attributes. */
function keras2Layout(names: string[], shapes: number[][][]) {
  return (root: H5Group, weights: Float32Array[][]) => {
    const modelWeights = root.create_group('model_weights');
    modelWeights.create_attribute('layer_names', ['flatten', ...names, 'dropout'].slice(0, names.length + 2));
    modelWeights.create_group('flatten').create_attribute('weight_names', new Float64Array(0) as never);
    modelWeights.create_group('dropout').create_attribute('weight_names', new Float64Array(0) as never);
    names.forEach((name, i) => {
      const layer = modelWeights.create_group(name);
      const weightNames = [`${name}/kernel:0`, `${name}/bias:0`];
      layer.create_attribute('weight_names', weightNames);
      const inner = layer.create_group(name);
      weightNames.forEach((weightName, j) => {
        inner.create_dataset({ name: weightName.split('/')[1], data: weights[i][j], shape: shapes[i][j], dtype: '<f' });
      });
    });
  };
}

const MLP_SHAPES = [
  [[784, 128], [128]],
  [[128, 10], [10]],
];

describe('damaged and hostile Keras files', () => {
  let dir: string;
  const cases: Case[] = [];

  before(async () => {
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'mnist-keras-damaged-'));
    const { model } = await loadModel(join(FIXTURES, 'mlp/mnist_mlp.keras'));
    const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense');
    mlpWeightCache = dense.map((layer) => layer.getWeights().map((w) => w.dataSync() as Float32Array));
    disposeModel(model);
    cases.push(
      ...truncations('seed003 .keras', CNN, '.keras'),
      ...truncations('seed000 .h5', CNN_H5, '.h5'),
      ...truncations('mlp .keras', MLP, '.keras'),
      ...truncations('mlp .h5', MLP_H5, '.h5'),
      ...bitFlips('mlp .keras', MLP, '.keras', 25, 1),
      ...bitFlips('seed000 .h5', CNN_H5, '.h5', 25, 2),
      ...bitFlips('mlp .h5', MLP_H5, '.h5', 15, 3),
      ...configEdits(),
      ...memberCases(),
      {
        name: 'a legacy .h5 with a Lambda layer',
        bytes: await legacyH5(
          (c) => (layersOf(c)[1].class_name = 'Lambda'),
          keras2Layout(['dense_4', 'dense_5'], MLP_SHAPES),
        ),
        ext: '.h5',
        says: /Lambda/,
      },
      {
        name: 'a legacy .h5 with transposed kernels',
        bytes: await legacyH5(
          () => undefined,
          keras2Layout(
            ['dense_4', 'dense_5'],
            [
              [[128, 784], [128]],
              [[10, 128], [10]],
            ],
          ),
        ),
        ext: '.h5',
        says: /do not fit/,
      },
      {
        name: 'a legacy .h5 with one layer of weights missing',
        bytes: await legacyH5(() => undefined, keras2Layout(['dense_4'], MLP_SHAPES)),
        ext: '.h5',
        says: /2 layers with weights but model_weights holds 1/,
      },
      {
        name: 'a legacy .h5 with weights only',
        bytes: await writeHdf5((root) => root.create_group('model_weights')),
        ext: '.h5',
        says: /weights only/,
      },
      {
        name: 'a legacy .h5 without model_weights',
        bytes: await legacyH5(
          () => undefined,
          () => undefined,
        ),
        ext: '.h5',
        says: /no model_weights/,
      },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses each of at least 100 damaged files with a ModelFileError naming it, in bounded time', async () => {
    assert.ok(cases.length >= 100, `${cases.length} cases`);
    const tensors = tf.memory().numTensors;
    let refused = 0;
    for (const [i, damaged] of cases.entries()) {
      const file = join(dir, `case-${i}${damaged.ext}`);
      writeFileSync(file, damaged.bytes);
      const started = performance.now();
      try {
        const { model } = await loadModel(file);
        disposeModel(model);
        assert.ok(damaged.mayLoad, `${damaged.name}: loaded`);
      } catch (err) {
        assert.ok(err instanceof ModelFileError, `${damaged.name}: ${(err as Error).stack}`);
        assert.ok(err.message.startsWith(file), `${damaged.name}: ${err.message}`);
        if (damaged.says) assert.match(err.message, damaged.says, damaged.name);
        refused++;
      }
      const seconds = (performance.now() - started) / 1000;
      assert.ok(seconds < MAX_SECONDS, `${damaged.name}: ${seconds.toFixed(1)} s`);
    }
    assert.equal(tf.memory().numTensors, tensors, 'tensors left behind');
    assert.ok(refused >= 100, `only ${refused} of ${cases.length} refused`);
  });

  it('loads the same model in the Keras 2 .h5 layout (Keras 2.2 configs too) and with a (784,) input, predicting as Keras', async () => {
    const expected = (reference.files['mlp/mnist_mlp.keras'].predictions as number[][]).flat();
    const keras2 = join(dir, 'keras2.h5');
    writeFileSync(keras2, await legacyH5(() => undefined, keras2Layout(['dense_4', 'dense_5'], MLP_SHAPES)));
    const flat = join(dir, 'flat.keras');
    writeFileSync(
      flat,
      withConfig(MLP, (c) => {
        layersOf(c)[0].config.batch_shape = [null, 784];
        layersOf(c).splice(1, 1); // the Flatten layer
      }),
    );
    const oldSequential = join(dir, 'keras2-2.h5');
    const layout = keras2Layout(['dense_4', 'dense_5'], MLP_SHAPES);
    writeFileSync(oldSequential, await legacyH5((c) => (c.config = c.config.layers), layout));
    for (const file of [keras2, oldSequential, flat]) {
      const { model } = await loadModel(file);
      const ours = predictProbabilities(model, inputs, 20);
      disposeModel(model);
      const diff = Math.max(...expected.map((p, i) => Math.abs(p - ours[i])));
      assert.ok(diff <= 1e-5, `${file}: ${diff}`);
    }
  });
});
