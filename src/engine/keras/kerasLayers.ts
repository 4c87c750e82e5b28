// Keras model configs (Keras 3's config.json, a .h5 file's model_config, Keras 2's too) turned into a TensorFlow.js
// Layers topology built field by field from a whitelist; anything else is refused by name, nothing from the file runs.
import { ModelFileError } from '../model/modelFiles';

/** A layer of the converted model that has weights: its name and its weights' names, in Keras's order. */
export interface WeightedLayer {
  /** The layer's name in the Keras file (its weights' group) and in the TF.js model. */
  name: string;
  className: string;
  /** Its group in a .keras file's weights: `layers/<group>/vars` (the class in snake case, numbered per class). */
  group: string;
  /** TF.js weight names (`dense/kernel`), in the order Keras saves the layer's variables. */
  weights: string[];
}

export interface ConvertedModel {
  topology: object;
  weighted: WeightedLayer[];
}

type Json = Record<string, unknown>;
type LayerConverter = (config: Json, where: Where) => { config: Json; weights: string[] };

/** Where a layer is, for messages: the file and the layer's name and class. */
interface Where {
  file: string;
  layer: string;
  className: string;
}

/** Activations whose Keras 3 and TF.js definitions agree; silu is Keras's other name for swish. */
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  softmax: 'softmax',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
};

const MAX_NAME = 200;
const MAX_UNITS = 1 << 20;

const CONVERTERS: Record<string, LayerConverter> = {
  Conv2D: (c, w) => {
    if (c.groups !== undefined && c.groups !== 1) fail(w, `groups ${JSON.stringify(c.groups)} is not supported`);
    const useBias = bool(c, 'use_bias', w, true);
    return {
      config: {
        filters: count(c, 'filters', w),
        kernel_size: pair(c, 'kernel_size', w),
        strides: pair(c, 'strides', w, [1, 1]),
        padding: padding(c, w),
        data_format: dataFormat(c, w),
        dilation_rate: pair(c, 'dilation_rate', w, [1, 1]),
        activation: activation(c, w),
        use_bias: useBias,
      },
      weights: useBias ? ['kernel', 'bias'] : ['kernel'],
    };
  },
  Dense: (c, w) => {
    if (c.quantization_config != null) fail(w, 'quantized layers are not supported');
    const useBias = bool(c, 'use_bias', w, true);
    return {
      config: { units: count(c, 'units', w), activation: activation(c, w), use_bias: useBias },
      weights: useBias ? ['kernel', 'bias'] : ['kernel'],
    };
  },
  MaxPooling2D: (c, w) => pooling(c, w),
  AveragePooling2D: (c, w) => pooling(c, w),
  Flatten: (c, w) => ({ config: { data_format: dataFormat(c, w) }, weights: [] }),
  Dropout: (c, w) => {
    if (c.noise_shape != null) fail(w, 'noise_shape is not supported');
    return { config: { rate: number(c, 'rate', w, 0, 1) }, weights: [] };
  },
  BatchNormalization: (c, w) => {
    const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis;
    if (axis !== -1 && axis !== undefined) fail(w, `axis ${JSON.stringify(c.axis)} is not supported (only -1)`);
    if (c.renorm === true) fail(w, 'renorm is not supported');
    const center = bool(c, 'center', w, true);
    const scale = bool(c, 'scale', w, true);
    return {
      config: {
        axis: -1,
        momentum: number(c, 'momentum', w, 0, 1, 0.99),
        epsilon: number(c, 'epsilon', w, 0, 1, 1e-3),
        center,
        scale,
      },
      weights: [...(scale ? ['gamma'] : []), ...(center ? ['beta'] : []), 'moving_mean', 'moving_variance'],
    };
  },
  Activation: (c, w) => ({ config: { activation: activation(c, w) }, weights: [] }),
  ReLU: (c, w) => {
    if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) {
      fail(w, 'negative_slope and threshold other than 0 are not supported');
    }
    const max = c.max_value == null ? {} : { max_value: number(c, 'max_value', w, 0, Number.MAX_VALUE) };
    return { config: max, weights: [] };
  },
  Softmax: (c, w) => {
    const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1);
    if (axis !== -1) fail(w, `axis ${JSON.stringify(c.axis)} is not supported (only -1)`);
    return { config: { axis: -1 }, weights: [] };
  },
  Reshape: (c, w) => ({ config: { target_shape: shape(c.target_shape, 'target_shape', w) }, weights: [] }),
  Rescaling: (c, w) => ({
    config: {
      scale: number(c, 'scale', w, -Number.MAX_VALUE, Number.MAX_VALUE),
      offset: number(c, 'offset', w, -Number.MAX_VALUE, Number.MAX_VALUE, 0),
    },
    weights: [],
  }),
  GlobalAveragePooling2D: (c, w) => globalPooling(c, w),
  GlobalMaxPooling2D: (c, w) => globalPooling(c, w),
};

/** The layer classes a Keras file may use. */
export const KERAS_LAYER_CLASSES = ['InputLayer', ...Object.keys(CONVERTERS)];

/** Converts a Keras model config (`{class_name, config}`) into a TF.js Layers topology. */
export function convertKerasModel(model: unknown, file: string): ConvertedModel {
  // Keras 2.2 and older wrote a Sequential's config as the list of its layers.
  if (isObject(model) && model.class_name === 'Sequential' && Array.isArray(model.config)) {
    return convertSequential({ layers: model.config }, file);
  }
  if (!isObject(model) || !isObject(model.config)) fail({ file }, 'has no model config');
  const className = model.class_name;
  if (className === 'Sequential') return convertSequential(model.config, file);
  if (className === 'Functional' || className === 'Model') return convertFunctional(model.config, file);
  fail({ file }, `holds a model of class ${JSON.stringify(className)}; only Sequential and Functional models load`);
}

function convertSequential(config: Json, file: string): ConvertedModel {
  const entries = layerList(config, file);
  let inputShape: (number | null)[] | undefined;
  if (Array.isArray(config.build_input_shape)) inputShape = batchShape(config.build_input_shape, { file });
  const layers: Json[] = [];
  const weighted: WeightedLayer[] = [];
  const groups = groupNamer();
  for (const entry of entries) {
    const layer = convertLayer(entry, file);
    if (layer.className === 'InputLayer') {
      inputShape = layer.batchShape;
      continue;
    }
    inputShape ??= layer.batchShape;
    layers.push({ class_name: layer.className, config: layer.config });
    const group = groups(layer.className);
    if (layer.weights.length) weighted.push({ ...layer.weighted, group });
  }
  if (!layers.length) fail({ file }, 'has a model without layers');
  if (!inputShape) fail({ file }, 'does not say what input shape its model takes');
  layers[0].config = { ...(layers[0].config as Json), batch_input_shape: inputShape };
  return {
    topology: { class_name: 'Sequential', config: { name: modelName(config, file), layers } },
    weighted,
  };
}

/** A Functional model whose layers each take one tensor (a chain or a tree of single-input layers). */
function convertFunctional(config: Json, file: string): ConvertedModel {
  const layers: Json[] = [];
  const weighted: WeightedLayer[] = [];
  const groups = groupNamer();
  for (const entry of layerList(config, file)) {
    const layer = convertLayer(entry, file);
    const group = groups(layer.className);
    const where = { file, layer: layer.name, className: layer.className };
    if (layer.className === 'InputLayer') {
      if (!layer.batchShape) fail(where, 'has no batch_shape');
      const inputConfig = { batch_input_shape: layer.batchShape, dtype: 'float32', sparse: false, name: layer.name };
      layers.push({ class_name: 'InputLayer', name: layer.name, config: inputConfig, inbound_nodes: [] });
      continue;
    }
    const source = inboundLayer((entry as Json).inbound_nodes, where);
    const inbound = [[[source, 0, 0, {}]]];
    layers.push({ class_name: layer.className, name: layer.name, config: layer.config, inbound_nodes: inbound });
    if (layer.weights.length) weighted.push({ ...layer.weighted, group });
  }
  return {
    topology: {
      class_name: 'Model',
      config: {
        name: modelName(config, file),
        layers,
        input_layers: [endpoint(config.input_layers, 'input_layers', file)],
        output_layers: [endpoint(config.output_layers, 'output_layers', file)],
      },
    },
    weighted,
  };
}

/** Keras 3's names for a model's layers in its weights file, as saving_lib gives them: by class, numbered. */
export function groupNamer(): (className: string) => string {
  const used = new Map<string, number>();
  return (className) => {
    const name = toSnakeCase(className);
    const count = used.get(name);
    used.set(name, count === undefined ? 0 : count + 1);
    return count === undefined ? name : `${name}_${count + 1}`;
  };
}

/** keras.src.utils.naming.to_snake_case. */
function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface ConvertedLayer {
  name: string;
  className: string;
  config: Json;
  weights: string[];
  weighted: Omit<WeightedLayer, 'group'>;
  batchShape?: (number | null)[];
}

function convertLayer(entry: unknown, file: string): ConvertedLayer {
  if (!isObject(entry) || !isObject(entry.config)) fail({ file }, 'has a layer entry without a config');
  const config = entry.config;
  const layerName = typeof config.name === 'string' ? config.name : typeof entry.name === 'string' ? entry.name : '';
  const className = typeof entry.class_name === 'string' ? entry.class_name.slice(0, MAX_NAME) : '(no class)';
  const where = { file, layer: layerName.slice(0, MAX_NAME), className };
  checkClass(entry, where);
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(layerName)) fail(where, `has a name that is not allowed`);
  checkDtype(config, where);
  const shapeValue = config.batch_shape ?? config.batch_input_shape;
  const inputShape = shapeValue == null ? undefined : batchShape(shapeValue, where);
  if (className === 'InputLayer') {
    if (config.sparse === true || config.ragged === true) fail(where, 'sparse or ragged inputs are not supported');
    return {
      name: layerName,
      className,
      config: {},
      weights: [],
      weighted: { name: layerName, className, weights: [] },
      batchShape: inputShape,
    };
  }
  const converted = CONVERTERS[className](config, where);
  const weights = converted.weights.map((weight) => `${layerName}/${weight}`);
  return {
    name: layerName,
    className,
    config: { ...converted.config, name: layerName, trainable: config.trainable !== false, dtype: 'float32' },
    weights,
    weighted: { name: layerName, className, weights },
    batchShape: inputShape,
  };
}

/** Refuses layers outside the whitelist, naming Lambda layers and custom objects for what they are. */
function checkClass(entry: Json, where: Where): void {
  const { className } = where;
  if (className === 'Lambda' || className === 'TFOpLambda') {
    fail(where, 'is a Lambda layer: it carries Python code, which is never run; rebuild it from standard layers');
  }
  const custom =
    (entry.module !== undefined && entry.module !== 'keras.layers' && entry.module !== null) ||
    (entry.registered_name != null && entry.registered_name !== className);
  if (custom) fail(where, 'is a custom object (code outside Keras), which is never run');
  if (!KERAS_LAYER_CLASSES.includes(className)) {
    fail(where, `is not supported; the supported layers are ${KERAS_LAYER_CLASSES.join(', ')}`);
  }
}

function checkDtype(config: Json, where: Where): void {
  const dtype = config.dtype;
  const name = isObject(dtype) && isObject(dtype.config) ? dtype.config.name : dtype;
  if (name !== undefined && name !== null && name !== 'float32') {
    fail(where, `computes in ${JSON.stringify(name)}; only float32 models load`);
  }
}

function inboundLayer(nodes: unknown, where: Where): string {
  if (!Array.isArray(nodes) || nodes.length !== 1) fail(where, 'is called more or less than once; not supported');
  const node = nodes[0];
  // Keras 3: {args: [{class_name: "__keras_tensor__", config: {keras_history: [layer, node, tensor]}}], kwargs}.
  if (isObject(node) && Array.isArray(node.args) && node.args.length === 1) {
    const tensor = node.args[0];
    const history = isObject(tensor) && isObject(tensor.config) ? tensor.config.keras_history : undefined;
    if (Array.isArray(history) && typeof history[0] === 'string' && history[1] === 0 && history[2] === 0) {
      return history[0];
    }
  }
  // Keras 2: [[layer, node, tensor, kwargs]].
  if (Array.isArray(node) && node.length === 1 && Array.isArray(node[0])) {
    const [layer, nodeIndex, tensorIndex] = node[0];
    if (typeof layer === 'string' && nodeIndex === 0 && tensorIndex === 0) return layer;
  }
  fail(where, 'takes other than one tensor from one layer; only single-input layers are supported');
}

/** A single input or output: `[name, 0, 0]` or `[[name, 0, 0]]`. */
function endpoint(value: unknown, key: string, file: string): [string, number, number] {
  const single = Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? value[0] : value;
  if (Array.isArray(single) && typeof single[0] === 'string' && single[1] === 0 && single[2] === 0) {
    return [single[0], 0, 0];
  }
  fail({ file }, `has ${key} other than one [layer, 0, 0]; only single-input, single-output models are supported`);
}

function layerList(config: Json, file: string): unknown[] {
  if (!Array.isArray(config.layers)) fail({ file }, 'has a model without a list of layers');
  return config.layers;
}

function modelName(config: Json, file: string): string {
  const name = config.name ?? 'model';
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,200}$/.test(name))
    fail({ file }, 'has a model name that is not allowed');
  return name;
}

function pooling(c: Json, w: Where) {
  const poolSize = pair(c, 'pool_size', w, [2, 2]);
  return {
    config: {
      pool_size: poolSize,
      strides: c.strides == null ? poolSize : pair(c, 'strides', w),
      padding: padding(c, w),
      data_format: dataFormat(c, w),
    },
    weights: [],
  };
}

function globalPooling(c: Json, w: Where) {
  if (c.keepdims === true) fail(w, 'keepdims is not supported');
  return { config: { data_format: dataFormat(c, w) }, weights: [] };
}

function activation(c: Json, w: Where): string {
  const name = c.activation ?? 'linear';
  if (typeof name !== 'string' || !(name in ACTIVATIONS)) {
    fail(
      w,
      `uses the activation ${JSON.stringify(name).slice(0, 100)}; supported: ${Object.keys(ACTIVATIONS).join(', ')}`,
    );
  }
  return ACTIVATIONS[name];
}

function padding(c: Json, w: Where): string {
  const value = c.padding ?? 'valid';
  if (value !== 'valid' && value !== 'same') fail(w, `padding ${JSON.stringify(value)} is not supported`);
  return value;
}

function dataFormat(c: Json, w: Where): string {
  const value = c.data_format ?? 'channels_last';
  if (value !== 'channels_last') fail(w, `data_format ${JSON.stringify(value)} is not supported (only channels_last)`);
  return value;
}

function pair(c: Json, key: string, w: Where, fallback?: [number, number]): [number, number] {
  const value = c[key] ?? fallback;
  const values = typeof value === 'number' ? [value, value] : value;
  if (
    !Array.isArray(values) ||
    values.length !== 2 ||
    !values.every((v) => Number.isInteger(v) && v >= 1 && v <= 1024)
  ) {
    fail(w, `${key} must be two whole numbers from 1 to 1024 (got ${JSON.stringify(value)})`);
  }
  return values as [number, number];
}

function count(c: Json, key: string, w: Where): number {
  const value = c[key];
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_UNITS) {
    fail(w, `${key} must be a whole number from 1 to ${MAX_UNITS} (got ${JSON.stringify(value)})`);
  }
  return value as number;
}

function number(c: Json, key: string, w: Where, min: number, max: number, fallback?: number): number {
  const value = c[key] ?? fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    fail(w, `${key} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function bool(c: Json, key: string, w: Where, fallback: boolean): boolean {
  const value = c[key] ?? fallback;
  if (typeof value !== 'boolean') fail(w, `${key} must be true or false`);
  return value;
}

function shape(value: unknown, key: string, w: Partial<Where> & { file: string }): number[] {
  if (
    !Array.isArray(value) ||
    value.length > 8 ||
    !value.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_UNITS)
  ) {
    fail(w, `${key} must be a list of at most 8 whole numbers ≥ 1 (got ${JSON.stringify(value)?.slice(0, 100)})`);
  }
  return value as number[];
}

/** `[null, ...dims]`: a batch shape with a free batch size. */
function batchShape(value: unknown, w: Partial<Where> & { file: string }): (number | null)[] {
  if (!Array.isArray(value) || value[0] !== null)
    fail(w, `has the input shape ${JSON.stringify(value)?.slice(0, 100)}; expected [null, ...]`);
  return [null, ...shape(value.slice(1), 'the input shape', w)];
}

function fail(where: Partial<Where> & { file: string }, problem: string): never {
  const layer = where.layer !== undefined ? `the layer "${where.layer}" (${where.className}) ` : '';
  throw new ModelFileError(where.file, `${layer}${problem}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
