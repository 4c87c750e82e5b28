// Models on disk: TensorFlow.js Layers format (model.json + weights) plus metadata, saved atomically.
import { io, version_core } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import type { Evaluation } from '../evaluate';
import { ARCHITECTURE } from './architecture';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import type { TrainResult } from '../training/train';
import type { TrainOptions } from '../training/trainOptions';
import { METADATA_FILE, metadataOf, MODEL_FILE, type ModelMetadata } from './metadata';

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

export interface StoredModel {
  model: LayersModel;
  metadata?: ModelMetadata;
  dir: string;
}

/** Write to a temporary name, flush, then rename over the target: readers see the old or the new file, never half. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, data);
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

/**
 * Saves a model to `dir`. The weights go to a file named by their hash, then model.json (which names that
 * file and embeds the metadata) replaces the old one in a single rename: a crash at any point leaves the
 * previous model loadable.
 */
export async function saveModel(
  model: LayersModel,
  dir: string,
  metadata: ModelMetadata,
  hooks: { beforeCommit?: () => void } = {},
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      const weights = joinWeightData(artifacts.weightData);
      const weightsFile = `weights-${createHash('sha256').update(weights).digest('hex').slice(0, 16)}.bin`;
      writeFileAtomic(join(dir, weightsFile), weights);
      hooks.beforeCommit?.();
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${version_core}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
        userDefinedMetadata: { mnist: metadata },
      };
      writeFileAtomic(join(dir, MODEL_FILE), JSON.stringify(modelJson));
      writeFileAtomic(join(dir, METADATA_FILE), JSON.stringify(metadata, null, 2) + '\n');
      removeStaleWeights(dir, weightsFile);
      return {
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength },
      };
    }),
  );
}

function joinWeightData(data: io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(io.CompositeArrayBuffer.join(data));
}

function removeStaleWeights(dir: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== keep && /^weights-[0-9a-f]+\.bin$|\.tmp-\d+-[0-9a-f]+$/.test(name))
      rmSync(join(dir, name), { force: true });
  }
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  trainingConfig?: io.TrainingConfig;
  userDefinedMetadata?: unknown;
  format?: string;
}

/** Reads and checks model.json and its weight files, without TensorFlow. */
export function readModelArtifacts(dir: string): { artifacts: io.ModelArtifacts; metadata?: ModelMetadata } {
  const file = join(dir, MODEL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      file,
      code === 'ENOENT' ? 'no model here (model.json is missing)' : `cannot be read (${code})`,
    );
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelFileError(file, 'is damaged or truncated: it is not valid JSON');
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.modelTopology !== 'object' ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new ModelFileError(file, 'is not a TensorFlow.js Layers model (no modelTopology or weightsManifest)');
  }
  const specs: io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights))
      throw new ModelFileError(file, 'has a malformed weightsManifest');
    specs.push(...group.weights);
    for (const path of group.paths) {
      if (basename(path) !== path) throw new ModelFileError(file, `names a weights file outside its folder: ${path}`);
      try {
        parts.push(readFileSync(join(dir, path)));
      } catch {
        throw new ModelFileError(join(dir, path), 'weights file is missing or unreadable');
      }
    }
  }
  const expectedBytes = specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const actualBytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
  if (actualBytes !== expectedBytes) {
    throw new ModelFileError(file, `weights are damaged or truncated: ${actualBytes} bytes, expected ${expectedBytes}`);
  }
  const weightData = new Uint8Array(actualBytes);
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  return {
    artifacts: {
      modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
      weightSpecs: specs,
      weightData: weightData.buffer,
      trainingConfig: json.trainingConfig,
      format: json.format,
    },
    metadata: metadataOf(json),
  };
}

/** Loads a digit classifier saved by saveModel (or any Layers model with 28x28x1 input and 10 outputs). */
export async function loadModel(dir: string): Promise<StoredModel> {
  const { artifacts, metadata } = readModelArtifacts(dir);
  const file = join(dir, MODEL_FILE);
  let model: LayersModel;
  try {
    model = await loadLayersModel({
      load: async () => ({ ...artifacts, weightData: undefined, weightSpecs: undefined }),
    });
  } catch (err) {
    throw new ModelFileError(file, `could not be loaded as a model: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    setStoredWeights(model, artifacts);
  } catch (err) {
    model.dispose();
    throw new ModelFileError(file, (err as Error).message);
  }
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  if (
    model.inputs.length !== 1 ||
    input?.join() !== [null, IMAGE_SIDE, IMAGE_SIDE, 1].join() ||
    output?.join() !== [null, DIGIT_CLASSES].join()
  ) {
    model.dispose();
    throw new ModelFileError(
      file,
      `is not a digit classifier: input ${JSON.stringify(input)}, output ${JSON.stringify(output)}; expected [null,28,28,1] → [null,10]`,
    );
  }
  return { model, metadata, dir };
}

/**
 * Gives a model built from its topology the weights stored with it: by name when the names match (tfjs's way), else
 * in the stored order, so that a model whose layers were renamed (conv2d_Conv2D1 → conv2d) still loads.
 */
function setStoredWeights(model: LayersModel, { weightData, weightSpecs = [] }: io.ModelArtifacts): void {
  const stored = weightData ? io.decodeWeights(weightData, weightSpecs) : {};
  try {
    const byName = model.weights.every((w) => stored[w.originalName] !== undefined);
    const specs = weightSpecs.filter((spec) => spec.group !== 'optimizer');
    const values = byName ? model.weights.map((w) => stored[w.originalName]) : specs.map((spec) => stored[spec.name]);
    if (values.length !== model.weights.length)
      throw new Error(`has ${values.length} weights for a model that has ${model.weights.length}`);
    model.weights.forEach((w, i) => {
      if (values[i].shape.join() !== w.shape.join())
        throw new Error(`has a weight of shape [${values[i].shape}] where ${w.originalName} is [${w.shape}]`);
    });
    model.setWeights(values);
  } finally {
    Object.values(stored).forEach((tensor) => tensor.dispose());
  }
}

export function modelExists(dir: string): boolean {
  try {
    return statSync(join(dir, MODEL_FILE)).isFile();
  } catch {
    return false;
  }
}

/** The metadata of a model that has just been trained and evaluated on the test set. */
export function trainedModelMetadata(
  result: Omit<TrainResult, 'model'>,
  evaluation: Pick<Evaluation, 'accuracy' | 'loss'>,
  backend: string,
  options: TrainOptions,
): ModelMetadata {
  return {
    architecture: ARCHITECTURE,
    epochsRun: result.epochsRun,
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    backend,
    trainingSeconds: result.seconds,
    trainingImages: result.trainingImages,
    validationImages: result.validationImages,
    date: new Date().toISOString(),
    tfjsVersion: version_core,
    options,
    history: result.history,
    batchLoss: result.batchLoss,
  };
}
