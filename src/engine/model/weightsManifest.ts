// Checks a model.json's weightsManifest before any weight is read: known types, whole non-negative dimensions,
// nothing listed twice, sizes within MODEL_LIMITS; and the weights once read: no NaN or infinite values.
import type { io } from '@tensorflow/tfjs-core';
import { basename, join } from 'node:path';
import { formatBytes, MODEL_LIMITS, ModelFileError } from './modelFiles';

/** The weights a manifest lists, and what they add up to. */
export interface WeightsPlan {
  /** Weight files, in the order their bytes follow each other. */
  paths: string[];
  specs: io.WeightsManifestEntry[];
  bytes: number;
  /** Values of the model's own weights (an optimizer's saved state is not part of the model). */
  parameters: number;
}

const VALUE_BYTES = { float32: 4, int32: 4, bool: 1 } as const;
const QUANTIZED_BYTES = { uint8: 1, uint16: 2, float16: 2 } as const;
/** Dimensions of a weight; Layers weights have at most 5 (a Conv3D kernel). */
const MAX_RANK = 8;
/** Characters of a weight's name. */
const MAX_NAME = 1000;

type Quantization = NonNullable<io.WeightsManifestEntry['quantization']>;

export function checkWeightsManifest(manifest: unknown, file: string): WeightsPlan {
  if (!Array.isArray(manifest)) throw new ModelFileError(file, 'has a malformed weightsManifest: it is not a list');
  const plan: WeightsPlan = { paths: [], specs: [], bytes: 0, parameters: 0 };
  const names = new Set<string>();
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(file, 'has a malformed weightsManifest: each group needs "paths" and "weights" lists');
    }
    for (const path of group.paths) addPath(plan, path, file);
    for (const entry of group.weights) {
      const spec = checkSpec(entry, file);
      if (names.has(spec.name)) throw new ModelFileError(file, `lists the weight "${spec.name}" twice`);
      names.add(spec.name);
      const values = checkedValues(spec, file);
      plan.bytes += values * valueBytes(spec);
      if (spec.group !== 'optimizer') plan.parameters += values;
      plan.specs.push(spec);
    }
    if (plan.parameters > MODEL_LIMITS.parameters) {
      throw new ModelFileError(file, `lists more than ${MODEL_LIMITS.parameters.toLocaleString('en')} weight values`);
    }
    if (plan.bytes > MODEL_LIMITS.weightBytes) {
      throw new ModelFileError(file, `lists more than ${formatBytes(MODEL_LIMITS.weightBytes)} of weights`);
    }
  }
  return plan;
}

/** Throws when a float weight holds NaN or an infinity, naming the weight and the file its first bad value is in. */
export function checkFinite(data: Uint8Array, plan: WeightsPlan, fileSizes: number[], dir: string): void {
  let offset = 0;
  for (const spec of plan.specs) {
    const values = spec.shape.reduce((a, b) => a * b, 1);
    const bad = firstNonFinite(data, offset, values, spec);
    if (bad !== undefined) {
      const file = join(dir, plan.paths[fileIndex(fileSizes, bad)]);
      throw new ModelFileError(file, `the weight "${spec.name}" holds NaN or infinite values`);
    }
    offset += values * valueBytes(spec);
  }
}

function addPath(plan: WeightsPlan, path: unknown, file: string): void {
  if (typeof path !== 'string' || !path) throw new ModelFileError(file, 'lists a weights file without a name');
  if (basename(path) !== path || path === '..' || path === '.') {
    throw new ModelFileError(file, `names a weights file outside its folder: ${JSON.stringify(path).slice(0, 200)}`);
  }
  if (plan.paths.includes(path)) throw new ModelFileError(file, `lists the weights file ${path} twice`);
  plan.paths.push(path);
  if (plan.paths.length > MODEL_LIMITS.weightFiles) {
    throw new ModelFileError(file, `lists more than ${MODEL_LIMITS.weightFiles} weights files`);
  }
}

function checkSpec(entry: unknown, file: string): io.WeightsManifestEntry {
  if (!isObject(entry) || typeof entry.name !== 'string' || !entry.name || entry.name.length > MAX_NAME) {
    throw new ModelFileError(file, 'lists a weight without a name (or with a name over 1000 characters)');
  }
  const name = entry.name;
  // decodeWeights keys its result by name: "__proto__" or "constructor" would not be a weight.
  if (name in Object.prototype) throw new ModelFileError(file, `lists a weight named "${name}", which is not allowed`);
  const { shape, dtype, quantization, group } = entry;
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ModelFileError(
      file,
      `gives the weight "${name}" the shape ${JSON.stringify(shape)?.slice(0, 100)}: expected at most ${MAX_RANK} whole numbers ≥ 0`,
    );
  }
  if (typeof dtype !== 'string' || !(dtype in VALUE_BYTES)) {
    throw new ModelFileError(
      file,
      `gives the weight "${name}" the type ${JSON.stringify(dtype)}: expected float32, int32 or bool`,
    );
  }
  if (group !== undefined && typeof group !== 'string') {
    throw new ModelFileError(file, `gives the weight "${name}" a group that is not a name`);
  }
  const spec = { name, shape, dtype, group } as io.WeightsManifestEntry;
  if (quantization !== undefined) spec.quantization = checkQuantization(quantization, spec, file);
  return spec;
}

function checkQuantization(quantization: unknown, spec: io.WeightsManifestEntry, file: string): Quantization {
  const problem = `gives the weight "${spec.name}" a quantization tfjs cannot decode`;
  if (!isObject(quantization) || typeof quantization.dtype !== 'string' || !(quantization.dtype in QUANTIZED_BYTES)) {
    throw new ModelFileError(file, `${problem}: expected uint8, uint16 or float16`);
  }
  const { dtype, scale, min } = quantization as Quantization;
  if (dtype === 'float16') {
    if (spec.dtype !== 'float32') throw new ModelFileError(file, `${problem}: float16 is for float32 weights only`);
    return { dtype };
  }
  const largest = 2 ** (8 * QUANTIZED_BYTES[dtype]) - 1;
  if (spec.dtype === 'bool' || !Number.isFinite(largest * Math.abs(scale ?? NaN) + Math.abs(min ?? NaN))) {
    throw new ModelFileError(file, `${problem}: ${dtype} needs a finite scale and min, on a float32 or int32 weight`);
  }
  return { dtype, scale, min };
}

/** The weight's number of values, refusing counts over the limit before they can overflow. */
function checkedValues(spec: io.WeightsManifestEntry, file: string): number {
  let values = 1;
  for (const dimension of spec.shape) {
    values *= dimension;
    if (values > MODEL_LIMITS.parameters) {
      throw new ModelFileError(
        file,
        `gives the weight "${spec.name}" the shape ${JSON.stringify(spec.shape)}: more than ${MODEL_LIMITS.parameters.toLocaleString('en')} values`,
      );
    }
  }
  return values;
}

function valueBytes(spec: io.WeightsManifestEntry): number {
  return spec.quantization
    ? QUANTIZED_BYTES[spec.quantization.dtype]
    : VALUE_BYTES[spec.dtype as keyof typeof VALUE_BYTES];
}

/** The byte offset of the first NaN or infinity among `values` values of `spec` at `offset`, if any. */
function firstNonFinite(
  data: Uint8Array,
  offset: number,
  values: number,
  spec: io.WeightsManifestEntry,
): number | undefined {
  const view = new DataView(data.buffer, data.byteOffset + offset, values * valueBytes(spec));
  if (spec.quantization?.dtype === 'float16') {
    for (let i = 0; i < values; i++) if ((view.getUint16(2 * i, true) & 0x7c00) === 0x7c00) return offset + 2 * i;
  } else if (spec.dtype === 'float32' && !spec.quantization) {
    for (let i = 0; i < values; i++) if (!Number.isFinite(view.getFloat32(4 * i, true))) return offset + 4 * i;
  }
  return undefined;
}

function fileIndex(sizes: number[], byte: number): number {
  let end = 0;
  for (const [i, size] of sizes.entries()) {
    end += size;
    if (byte < end) return i;
  }
  return sizes.length - 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
