// Writes a model as Keras 3 writes a .keras file: a zip of metadata.json, config.json (the layer configs Keras 3.15.1
// writes) and model.weights.h5 (`layers/<group>/vars/<i>`), so that keras.models.load_model() loads it.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { zipSync, strToU8 } from 'fflate';
import { writeFileAtomic } from '../model/storage';
import { writeHdf5 } from './hdf5';
import { groupNamer } from './kerasLayers';

/** The Keras release whose format is written (and which the tests load the files with). */
export const KERAS_VERSION = '3.15.1';

type Json = Record<string, unknown>;
type TfjsLayer = LayersModel['layers'][number];

const DTYPE = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const NO_EXTRAS = { kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null };

/** Keras 3 configs of the layers this engine loads, from TF.js's (snake_case) configs. */
const KERAS_CONFIGS: Record<string, (c: Json) => Json> = {
  Conv2D: (c) => ({
    filters: c.filters,
    kernel_size: c.kernel_size,
    strides: c.strides,
    padding: c.padding,
    data_format: 'channels_last',
    dilation_rate: c.dilation_rate,
    groups: 1,
    activation: c.activation,
    use_bias: c.use_bias,
    kernel_initializer: initializer('GlorotUniform', { seed: null }),
    bias_initializer: initializer('Zeros', {}),
    ...NO_EXTRAS,
    activity_regularizer: null,
  }),
  Dense: (c) => ({
    units: c.units,
    activation: c.activation,
    use_bias: c.use_bias,
    kernel_initializer: initializer('GlorotUniform', { seed: null }),
    bias_initializer: initializer('Zeros', {}),
    ...NO_EXTRAS,
    quantization_config: null,
  }),
  MaxPooling2D: pooling,
  AveragePooling2D: pooling,
  Flatten: () => ({ data_format: 'channels_last' }),
  Dropout: (c) => ({ rate: c.rate, seed: null, noise_shape: null }),
  BatchNormalization: (c) => ({
    axis: -1,
    momentum: c.momentum,
    epsilon: c.epsilon,
    center: c.center,
    scale: c.scale,
    beta_initializer: initializer('Zeros', {}),
    gamma_initializer: initializer('Ones', {}),
    moving_mean_initializer: initializer('Zeros', {}),
    moving_variance_initializer: initializer('Ones', {}),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    synchronized: false,
  }),
  Activation: (c) => ({ activation: c.activation }),
  ReLU: (c) => ({ max_value: c.max_value ?? null, negative_slope: 0, threshold: 0 }),
  Softmax: () => ({ axis: -1 }),
  Reshape: (c) => ({ target_shape: c.target_shape }),
  Rescaling: (c) => ({ scale: c.scale, offset: c.offset }),
  GlobalAveragePooling2D: () => ({ data_format: 'channels_last', keepdims: false }),
  GlobalMaxPooling2D: () => ({ data_format: 'channels_last', keepdims: false }),
};
/** Layers for which Keras records the input shape they were built with. */
const BUILT_WITH_SHAPE = ['Conv2D', 'Dense', 'Flatten', 'BatchNormalization'];

/** Writes `model` (a chain of supported layers) to `file` in Keras 3's .keras format. */
export async function exportKeras(model: LayersModel, file: string): Promise<void> {
  writeFileAtomic(file, await kerasBytes(model));
}

/** The .keras file's bytes. */
export async function kerasBytes(model: LayersModel): Promise<Uint8Array> {
  const layers = chainLayers(model);
  const config = kerasConfig(model, layers);
  const weights = await writeHdf5((root) => {
    const groups = groupNamer();
    const layersGroup = root.create_group('layers');
    for (const layer of layers) {
      const vars = layersGroup.create_group(groups(layer.getClassName())).create_group('vars');
      vars.create_attribute('name', layer.name);
      layer.getWeights().forEach((weight, i) => {
        vars.create_dataset({
          name: String(i),
          data: weight.dataSync() as Float32Array,
          shape: weight.shape,
          dtype: '<f',
        });
      });
    }
    root.create_group('vars').create_attribute('name', model.name);
  });
  const metadata = { keras_version: KERAS_VERSION, date_saved: kerasDate(new Date()) };
  return zipSync(
    {
      'metadata.json': [strToU8(JSON.stringify(metadata)), { level: 0 }],
      'config.json': [strToU8(JSON.stringify(config)), { level: 0 }],
      'model.weights.h5': [weights, { level: 0 }],
    },
    { mtime: new Date() },
  );
}

/** The model's layers in order, refusing anything but a chain (each layer fed by the one before). */
function chainLayers(model: LayersModel): TfjsLayer[] {
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  let previous: TfjsLayer | undefined;
  for (const layer of layers) {
    const className = layer.getClassName();
    if (!(className in KERAS_CONFIGS)) throw new Error(`the layer "${layer.name}" (${className}) cannot be exported`);
    const inbound = layer.inboundNodes.map((node) => node.inboundLayers);
    const fedBy = inbound.length === 1 && inbound[0].length === 1 ? inbound[0][0] : undefined;
    if (previous && fedBy !== previous) {
      throw new Error(`the model is not a chain of layers at "${layer.name}"; only such models can be exported`);
    }
    previous = layer;
  }
  return layers;
}

function kerasConfig(model: LayersModel, layers: TfjsLayer[]): Json {
  const inputShape = model.inputs[0].shape;
  const names = new Set(layers.map((layer) => layer.name));
  let inputName = 'input_layer';
  for (let i = 1; names.has(inputName); i++) inputName = `input_layer_${i}`;
  const input = {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: {
      batch_shape: inputShape,
      dtype: 'float32',
      sparse: false,
      ragged: false,
      name: inputName,
      optional: false,
    },
    registered_name: null,
  };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: model.name,
      trainable: true,
      dtype: DTYPE,
      layers: [input, ...layers.map(kerasLayer)],
      build_input_shape: inputShape,
    },
    registered_name: null,
    build_config: { input_shape: inputShape },
  };
}

function kerasLayer(layer: TfjsLayer): Json {
  const className = layer.getClassName();
  const own = KERAS_CONFIGS[className](snakeCaseKeys(layer.getConfig() as Json));
  const entry: Json = {
    module: 'keras.layers',
    class_name: className,
    config: { name: layer.name, trainable: layer.trainable, dtype: DTYPE, ...own },
    registered_name: null,
  };
  if (BUILT_WITH_SHAPE.includes(className)) entry.build_config = { input_shape: inputShapeOf(layer) };
  return entry;
}

/** TF.js's getConfig uses camelCase (`kernelSize`); its model.json and Keras use snake_case. */
function snakeCaseKeys(config: Json): Json {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}

function inputShapeOf(layer: TfjsLayer): (number | null)[] {
  return layer.inboundNodes[0].inputTensors[0].shape;
}

function pooling(c: Json): Json {
  return { pool_size: c.pool_size, padding: c.padding, strides: c.strides, data_format: 'channels_last' };
}

function initializer(className: string, config: Json): Json {
  const full = className === 'GlorotUniform' ? { ...config, input_axes: null, output_axes: null } : config;
  return { module: 'keras.initializers', class_name: className, config: full, registered_name: null };
}

/** Keras's date_saved: "2026-11-25@01:15:08" (local time). */
function kerasDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}@${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
