// Reads Keras model files — Keras 3's .keras (zip: config.json + model.weights.h5) and the legacy .h5 (Keras 2 and
// Keras 3's writer) — into a checked TF.js topology and one float32 weight buffer; sizes are bounded at every step.
import { unzipSync } from 'fflate';
import { basename, dirname } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { MODEL_LIMITS, ModelFileError, readModelFile } from '../model/modelFiles';
import { checkTopology } from '../model/topology';
import { group, readFloats, readHdf5, readStrings, type H5Group } from './hdf5';
import { convertKerasModel, type WeightedLayer } from './kerasLayers';

/** What a Keras file holds, ready for the model builder. */
export interface KerasArtifacts {
  topology: object;
  data: Uint8Array;
  specs: io.WeightsManifestEntry[];
  parameters: number;
}

const CONFIG_MEMBER = 'config.json';
const WEIGHTS_MEMBER = 'model.weights.h5';
/** Zip compression methods: stored and deflated. */
const ZIP_METHODS = [0, 8];

/** Reads a .keras or .h5 file; every problem is a ModelFileError naming the file. */
export async function readKerasFile(path: string): Promise<KerasArtifacts> {
  const bytes = await readModelFile(dirname(path), basename(path), MODEL_LIMITS.kerasFileBytes);
  return path.toLowerCase().endsWith('.keras') ? readKerasZip(bytes, path) : readLegacyH5(bytes, path);
}

async function readKerasZip(bytes: Uint8Array, file: string): Promise<KerasArtifacts> {
  const members = unzipMembers(bytes, file);
  const config = members[CONFIG_MEMBER];
  if (!config) throw new ModelFileError(file, `is not a Keras model: the archive has no ${CONFIG_MEMBER}`);
  const weights = members[WEIGHTS_MEMBER];
  if (!weights) throw new ModelFileError(file, `has no ${WEIGHTS_MEMBER} (other weight formats are not supported)`);
  const converted = convertKerasModel(parseJson(config, `${CONFIG_MEMBER} in ${file}`, file), file);
  const topology = checkTopology(converted.topology, file);
  const tensors = await readHdf5(weights, file, (root) => {
    const read = floatReader(root, file);
    return converted.weighted.map((layer) => readKeras3Layer(read, root, layer, file));
  });
  return { topology, ...flatten(converted.weighted, tensors, file) };
}

/** The config and weights members, their inflated sizes (from the central directory) checked before inflating. */
function unzipMembers(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  const limits: Record<string, number> = {
    [CONFIG_MEMBER]: MODEL_LIMITS.modelJsonBytes,
    [WEIGHTS_MEMBER]: MODEL_LIMITS.kerasFileBytes,
  };
  const declared: Record<string, number> = {};
  let total = 0;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (member) => {
        if (!(member.name in limits)) return false;
        if (member.name in declared) throw new ModelFileError(file, `holds ${member.name} twice`);
        if (!ZIP_METHODS.includes(member.compression)) {
          throw new ModelFileError(file, `compresses ${member.name} with a method other than deflate`);
        }
        total += member.originalSize;
        if (member.originalSize > limits[member.name] || total > MODEL_LIMITS.kerasFileBytes) {
          throw new ModelFileError(file, `its ${member.name} would inflate to more than the limit`);
        }
        declared[member.name] = member.originalSize;
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(file, `is not a readable zip archive (${(err as Error).message})`);
  }
  for (const [name, data] of Object.entries(members)) {
    if (data.length !== declared[name]) throw new ModelFileError(file, `its ${name} is damaged or truncated`);
  }
  return members;
}

/** Keras 3: `layers/<name>/vars/0, 1, ...`, in the layer's weight order. */
function readKeras3Layer(read: FloatReader, root: H5Group, layer: WeightedLayer, file: string): Tensor[] {
  const path = `layers/${layer.group}/vars`;
  const vars = group(root, path);
  const saved = vars?.keys() ?? [];
  if (saved.length !== layer.weights.length) {
    throw new ModelFileError(
      file,
      `the layer "${layer.name}" (${layer.className}) expects ${layer.weights.length} weights but ${path} holds ${saved.length}`,
    );
  }
  return layer.weights.map((_, i) => read(`${path}/${i}`));
}

async function readLegacyH5(bytes: Uint8Array, file: string): Promise<KerasArtifacts> {
  return readHdf5(bytes, file, (root) => {
    const [modelConfig] = readStrings(root, 'model_config', file) ?? [];
    if (modelConfig === undefined) {
      throw new ModelFileError(file, 'holds weights only (no model_config): save the whole model with model.save()');
    }
    const converted = convertKerasModel(parseJson(modelConfig, 'its model_config', file), file);
    const topology = checkTopology(converted.topology, file);
    const weights = group(root, 'model_weights');
    if (!weights) throw new ModelFileError(file, 'has no model_weights group');
    const saved = savedLayers(weights, file);
    if (saved.length !== converted.weighted.length) {
      throw new ModelFileError(
        file,
        `its model has ${converted.weighted.length} layers with weights but model_weights holds ${saved.length}`,
      );
    }
    const read = floatReader(weights, file);
    const tensors = converted.weighted.map((layer, i) => readLegacyLayer(read, layer, saved[i], file));
    return { topology, ...flatten(converted.weighted, tensors, file) };
  });
}

/** The saved layers that have weights, with their weights' dataset names, in the order of `layer_names`. */
function savedLayers(weights: H5Group, file: string): { name: string; weightNames: string[] }[] {
  const layers = [];
  for (const name of splitStrings(weights, 'layer_names', file)) {
    const layer = group(weights, name);
    if (!layer) throw new ModelFileError(file, `lists the layer "${name}" in model_weights but has no group for it`);
    const weightNames = splitStrings(layer, 'weight_names', file);
    if (weightNames.length) layers.push({ name, weightNames });
  }
  return layers;
}

/** Keras 2 (`conv2d/kernel:0`) and Keras 3 (`sequential/conv2d/kernel`) dataset names alike, by position. */
function readLegacyLayer(
  read: FloatReader,
  layer: WeightedLayer,
  saved: { name: string; weightNames: string[] },
  file: string,
): Tensor[] {
  if (saved.weightNames.length !== layer.weights.length) {
    throw new ModelFileError(
      file,
      `the layer "${layer.name}" (${layer.className}) expects ${layer.weights.length} weights but model_weights/${saved.name} holds ${saved.weightNames.length}`,
    );
  }
  return saved.weightNames.map((name) => read(`${saved.name}/${name}`));
}

/** An attribute Keras may split into `name0`, `name1`, ... when it is too large for one. */
function splitStrings(node: H5Group, name: string, file: string): string[] {
  const whole = readStrings(node, name, file);
  if (whole) return whole;
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const part = readStrings(node, `${name}${i}`, file);
    if (!part) break;
    parts.push(...part);
    if (parts.length > MODEL_LIMITS.layers * 10) throw new ModelFileError(file, `lists too many ${name}`);
  }
  return parts;
}

type Tensor = { shape: number[]; values: Float32Array };
type FloatReader = (path: string) => Tensor;

/** Reads datasets under `root` while their values add up to at most MODEL_LIMITS.parameters. */
function floatReader(root: H5Group, file: string): FloatReader {
  let left = MODEL_LIMITS.parameters;
  return (path) => {
    const tensor = readFloats(root, path, left, file);
    left -= tensor.values.length;
    return tensor;
  };
}

/** One buffer of the weights in the model's order, with their specs; refuses NaN, infinities and too many values. */
function flatten(weighted: WeightedLayer[], tensors: Tensor[][], file: string): Omit<KerasArtifacts, 'topology'> {
  const specs: io.WeightsManifestEntry[] = [];
  let parameters = 0;
  weighted.forEach((layer, i) =>
    layer.weights.forEach((name, j) => {
      const { shape, values } = tensors[i][j];
      if (!values.every(Number.isFinite)) {
        throw new ModelFileError(file, `the weight "${name}" holds NaN or infinite values`);
      }
      parameters += values.length;
      specs.push({ name, shape, dtype: 'float32' });
    }),
  );
  if (parameters > MODEL_LIMITS.parameters) {
    throw new ModelFileError(file, `holds more than ${MODEL_LIMITS.parameters.toLocaleString('en')} weight values`);
  }
  const data = new Float32Array(parameters);
  let offset = 0;
  for (const tensor of tensors.flat()) {
    data.set(tensor.values, offset);
    offset += tensor.values.length;
  }
  return { data: new Uint8Array(data.buffer), specs, parameters };
}

function parseJson(bytes: Uint8Array | string, what: string, file: string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ModelFileError(file, `${what} is damaged or truncated: it is not valid JSON`);
  }
}
