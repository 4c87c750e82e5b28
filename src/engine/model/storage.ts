// Models on disk: TensorFlow.js Layers format (model.json + weights) plus metadata, saved atomically.
import { io, version_core } from '@tensorflow/tfjs-core';
import { type LayersModel } from '@tensorflow/tfjs-layers';
import { createHash, randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Evaluation } from '../evaluate';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import type { TrainResult } from '../training/train';
import type { TrainOptions } from '../training/trainOptions';
import { METADATA_FILE, metadataOf, MODEL_FILE, type ArchitectureRecord, type ModelMetadata } from './metadata';
import { isKerasFile, MODEL_LIMITS, ModelFileError, readModelFile, readWeightFiles } from './modelFiles';
import { buildModel, checkTopology, planModel } from './topology';
import { IMAGE_INPUT_SHAPES } from '../predict';
import { checkFinite, checkWeightsManifest, type WeightsPlan } from './weightsManifest';

export interface StoredModel {
  model: LayersModel;
  metadata?: ModelMetadata;
  /** The folder or Keras file it was loaded from. */
  path: string;
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
      // Named before it is written: a save interrupted from here on leaves a file the next save knows to remove.
      const unfinished = readUnfinished(dir);
      writeFileAtomic(join(dir, UNFINISHED_FILE), JSON.stringify([...unfinished, weightsFile]));
      writeFileAtomic(join(dir, weightsFile), weights);
      hooks.beforeCommit?.();
      const replaced = await weightFilesOf(dir);
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
      removeReplacedFiles(dir, [...replaced, ...unfinished], weightsFile);
      rmSync(join(dir, UNFINISHED_FILE), { force: true });
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

/** Lists the weight files of saves under way or interrupted in the folder (JSON array of names). */
const UNFINISHED_FILE = '.unfinished-weights.json';
const WEIGHTS_NAME = /^weights-[0-9a-f]+\.bin$/;

/** The weight files interrupted saves in `dir` wrote and no model.json may name (recorded in UNFINISHED_FILE). */
function readUnfinished(dir: string): string[] {
  try {
    const names: unknown = JSON.parse(readFileSync(join(dir, UNFINISHED_FILE), 'utf8'));
    return Array.isArray(names) ? names.filter((name) => typeof name === 'string' && WEIGHTS_NAME.test(name)) : [];
  } catch {
    return [];
  }
}

/** The weight files the model now in `dir` names (plain names in the folder only); none when there is no model. */
async function weightFilesOf(dir: string): Promise<string[]> {
  try {
    const json = JSON.parse(
      new TextDecoder().decode(await readModelFile(dir, MODEL_FILE, MODEL_LIMITS.modelJsonBytes)),
    );
    const paths = (json.weightsManifest as { paths: unknown[] }[]).flatMap((group) => group.paths);
    return paths.filter((path): path is string => typeof path === 'string' && /^[^/\\]+$/.test(path) && path !== '..');
  } catch {
    return [];
  }
}

/** Removes the replaced model's weight files and what interrupted saves of ours left; nothing else in `dir`. */
function removeReplacedFiles(dir: string, replaced: string[], keep: string): void {
  const leftover = /^(model\.json|metadata\.json|weights-[0-9a-f]+\.bin)\.tmp-\d+-[0-9a-f]+$/;
  for (const name of new Set([...replaced, ...readdirSync(dir).filter((n) => leftover.test(n))])) {
    if (name === keep || name === MODEL_FILE || name === METADATA_FILE) continue;
    const path = join(dir, name);
    if (lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === false) rmSync(path, { force: true });
  }
}

/** A model.json whose topology and weights manifest have been checked; its weights are not read yet. */
export interface ModelArtifacts {
  file: string;
  topology: object;
  weights: WeightsPlan;
  metadata?: ModelMetadata;
}

/** Reads and checks model.json (size, JSON, topology structure, weights manifest), without TensorFlow. */
export async function readModelArtifacts(dir: string): Promise<ModelArtifacts> {
  const file = join(dir, MODEL_FILE);
  const bytes = await readModelFile(dir, MODEL_FILE, MODEL_LIMITS.modelJsonBytes);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ModelFileError(file, 'is damaged or truncated: it is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelFileError(file, 'is not a TensorFlow.js Layers model: it is not a JSON object');
  }
  const { modelTopology, weightsManifest } = json as Record<string, unknown>;
  if (typeof modelTopology !== 'object' || !Array.isArray(weightsManifest)) {
    throw new ModelFileError(file, 'is not a TensorFlow.js Layers model (no modelTopology or weightsManifest)');
  }
  return {
    file,
    topology: checkTopology(modelTopology, file),
    weights: checkWeightsManifest(weightsManifest, file),
    metadata: metadataOf(json),
  };
}

/**
 * Loads a digit classifier: a folder saved by saveModel (or any Layers model with a 28x28 input and 10 outputs), or a
 * Keras file (.keras, .h5). Everything is checked before tfjs allocates anything: the files, then what the topology
 * would build (without building it), then the weights; a load that fails frees all it made.
 */
export async function loadModel(path: string): Promise<StoredModel> {
  if (isKerasFile(path)) {
    const { readKerasFile } = await import('../keras/kerasRead');
    const { topology, data, specs, parameters } = await readKerasFile(path);
    await planDigitClassifier(topology, parameters, path, 'the file holds');
    return { model: await buildModel(topology, data, specs, path), path };
  }
  const { file, topology, weights, metadata } = await readModelArtifacts(path);
  await planDigitClassifier(topology, weights.parameters, file, 'its weightsManifest lists');
  const { data, sizes } = await readWeightFiles(path, weights.paths, weights.bytes, file);
  checkFinite(data, weights, sizes, path);
  return { model: await buildModel(topology, data, weights.specs, file), metadata, path };
}

/** Refuses a topology that is not a digit classifier or whose parameters are not the `parameters` values given. */
async function planDigitClassifier(topology: object, parameters: number, file: string, given: string): Promise<void> {
  const plan = await planModel(topology, file);
  const input = plan.inputShapes[0];
  const output = plan.outputShapes[0];
  const inputs = IMAGE_INPUT_SHAPES.map((shape) => [null, ...shape].join());
  if (
    plan.inputShapes.length !== 1 ||
    !inputs.includes(input?.join()) ||
    output?.join() !== [null, DIGIT_CLASSES].join()
  ) {
    throw new ModelFileError(
      file,
      `is not a digit classifier: input ${JSON.stringify(input)}, output ${JSON.stringify(output)}; expected ${IMAGE_INPUT_SHAPES.map((shape) => JSON.stringify([null, ...shape])).join(', ')} → [null,10]`,
    );
  }
  if (plan.parameters !== parameters) {
    throw new ModelFileError(file, `its layers have ${plan.parameters} parameters but ${given} ${parameters} values`);
  }
}

/** The metadata of a model that has just been trained and evaluated on the test set. */
export function trainedModelMetadata(
  result: Omit<TrainResult, 'model'>,
  evaluation: Pick<Evaluation, 'accuracy' | 'loss'>,
  backend: string,
  options: TrainOptions,
  architecture: ArchitectureRecord,
): ModelMetadata {
  return {
    ...architecture,
    parameters: result.parameters,
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
