// The training loop: seeded shuffles, progress per batch and epoch, early stopping, cancellation; in this thread or,
// on the wasm backend with two or more cores, in data-parallel worker threads (parallel/dataParallel.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { augmentBatch } from '../data/augment';
import { BatchBuffer, normalise, sliceExamples, type Examples } from '../data/dataset';
import { type DigitSet } from '../data/idx';
import { imageBatch } from '../predict';
import { fuseConvolutions } from '../wasm/fusedConvolution';
import {
  canTrainInParallel,
  DataParallelTrainer,
  defaultParallelism,
  type Parallelism,
} from '../parallel/dataParallel';
import { createModel } from '../model/architecture';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import { DEFAULT_TRAIN_OPTIONS, parseTrainOptions, validationImageCount, type TrainOptions } from './trainOptions';
import { seededRandom, shuffle } from '../data/random';
import { EarlyStopping } from './earlyStopping';
import type { EpochResult } from './epochResult';
import type { BatchLossPoint } from '../../shared/trainingChartProtocol';
import { downsample, fractionalEpoch, MAX_SAVED_BATCH_POINTS } from './batchLoss';

export interface BatchProgress {
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface TrainCallbacks {
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  onEpochEnd?: (result: EpochResult) => void | Promise<void>;
  signal?: AbortSignal;
  /** Worker threads to train with on the wasm backend (default: defaultParallelism()). */
  parallelism?: Parallelism;
}

export interface TrainResult {
  model: LayersModel;
  history: EpochResult[];
  epochsRun: number;
  /** The epoch whose weights the model holds (after restoring the best). */
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  /** Worker threads that trained (data-parallel), or 1 for the calling thread. */
  workers: number;
  /** Images trained on, and images held out to measure val_loss (the two parts of the split). */
  trainingImages: number;
  validationImages: number;
  /** The loss batch by batch over the whole run, thinned out to at most MAX_SAVED_BATCH_POINTS. */
  batchLoss: BatchLossPoint[];
  /** Weights in the model, trainable or not. */
  parameters: number;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'TrainingCancelledError';
  }
}

/** Splits the first `trainingSubset` images into training and validation parts (validation = the last part, as Keras does). */
export function splitTrainingData(train: DigitSet, options: TrainOptions): { fit: Examples; validation?: Examples } {
  const total = options.trainingSubset > 0 ? Math.min(options.trainingSubset, train.count) : train.count;
  const all = normalise(train, 0, total);
  const validationCount = validationImageCount(total, options.validationSplit);
  if (validationCount === 0) return { fit: all };
  return {
    fit: sliceExamples(all, 0, total - validationCount),
    validation: sliceExamples(all, total - validationCount, total),
  };
}

export function examplesToTensors(model: LayersModel, examples: Examples): { x: tf.Tensor; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: imageBatch(model, examples.pixels, examples.count),
    y: tf.cast(tf.oneHot(tf.tensor1d(examples.labels, 'int32'), DIGIT_CLASSES), 'float32') as tf.Tensor2D,
  }));
}

export async function train(
  data: DigitSet,
  partialOptions: Partial<TrainOptions> = {},
  callbacks: TrainCallbacks = {},
  model: LayersModel = createModel(
    partialOptions.learningRate ?? DEFAULT_TRAIN_OPTIONS.learningRate,
    partialOptions.seed ?? DEFAULT_TRAIN_OPTIONS.seed,
  ),
): Promise<TrainResult> {
  const options = parseTrainOptions({ ...DEFAULT_TRAIN_OPTIONS, ...partialOptions });
  const { fit, validation } = splitTrainingData(data, options);
  if (fit.count === 0) throw new Error('There are no training images left after the validation split');
  fuseConvolutions(model);

  const parallelism = callbacks.parallelism ?? defaultParallelism();
  const started = performance.now();
  const validationTensors = validation ? examplesToTensors(model, validation) : undefined;
  const stopping = new EarlyStopping(options.earlyStoppingPatience);
  const history: EpochResult[] = [];
  const batchLoss: BatchLossPoint[] = [];
  let parallel: DataParallelTrainer | undefined;

  try {
    if (canTrainInParallel(parallelism, tf.getBackend())) {
      parallel = await DataParallelTrainer.start(model, options.learningRate, options.batchSize, parallelism);
    }
    const run: EpochRun = {
      model,
      options,
      callbacks,
      fit,
      validation: validationTensors,
      order: Uint32Array.from({ length: fit.count }, (_, i) => i),
      random: seededRandom(options.seed),
      batches: Math.ceil(fit.count / options.batchSize),
      buffer: parallel?.batch ?? new BatchBuffer(options.batchSize),
      parallel,
      batchLoss,
    };
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const result = await trainEpoch(run, epoch);
      history.push(result);
      await callbacks.onEpochEnd?.(result);
      if (stopping.shouldStop(epoch, result.valLoss, model)) break;
    }
    return {
      model,
      history,
      epochsRun: history.length,
      bestEpoch: stopping.restoreBest(model, history.length),
      stoppedEarly: stopping.stopped,
      seconds: (performance.now() - started) / 1000,
      workers: parallel ? parallelism.workers : 1,
      trainingImages: fit.count,
      validationImages: validation?.count ?? 0,
      batchLoss: downsample(batchLoss, MAX_SAVED_BATCH_POINTS),
      parameters: model.countParams(),
    };
  } catch (err) {
    disposeModel(model);
    throw err;
  } finally {
    await parallel?.dispose();
    stopping.dispose();
    validationTensors?.x.dispose();
    validationTensors?.y.dispose();
  }
}

/** What every epoch of one training run works with. */
interface EpochRun {
  model: LayersModel;
  options: TrainOptions;
  callbacks: TrainCallbacks;
  fit: Examples;
  validation?: { x: tf.Tensor; y: tf.Tensor2D };
  /** The training images' order, reshuffled each epoch. */
  order: Uint32Array;
  random: () => number;
  batches: number;
  buffer: BatchBuffer;
  parallel?: DataParallelTrainer;
  /** Every batch's point of the loss trace, appended to. */
  batchLoss: BatchLossPoint[];
}

/** One pass over the training images in a new order, then the validation figures. */
async function trainEpoch(run: EpochRun, epoch: number): Promise<EpochResult> {
  shuffle(run.order, run.random);
  const epochStart = performance.now();
  const totals = { loss: 0, accuracy: 0, seen: 0 };
  for (let batch = 1; batch <= run.batches; batch++) {
    if (run.callbacks.signal?.aborted) throw new TrainingCancelledError();
    const { loss, accuracy, size } = await trainBatch(run, batch);
    totals.loss += loss * size;
    totals.accuracy += accuracy * size;
    totals.seen += size;
    const progress: BatchProgress = {
      epoch,
      epochs: run.options.epochs,
      batch,
      batches: run.batches,
      loss: totals.loss / totals.seen,
      accuracy: totals.accuracy / totals.seen,
      imagesPerSecond: totals.seen / ((performance.now() - epochStart) / 1000),
    };
    run.batchLoss.push({ x: fractionalEpoch(epoch, batch, run.batches), loss: progress.loss });
    await run.callbacks.onBatchEnd?.(progress);
  }
  const trainSeconds = (performance.now() - epochStart) / 1000;
  await run.parallel?.copyWeightsTo(run.model);
  const result: EpochResult = {
    epoch,
    epochs: run.options.epochs,
    loss: totals.loss / totals.seen,
    accuracy: totals.accuracy / totals.seen,
    imagesPerSecond: totals.seen / trainSeconds,
    seconds: 0,
  };
  if (run.validation) {
    [result.valLoss, result.valAccuracy] = await evaluateTensors(run.model, run.validation.x, run.validation.y);
  }
  result.seconds = (performance.now() - epochStart) / 1000;
  return result;
}

/** Fills the buffer with the batch's images (distorted when augmenting) and takes one training step on them. */
async function trainBatch(run: EpochRun, batch: number): Promise<{ loss: number; accuracy: number; size: number }> {
  const from = (batch - 1) * run.options.batchSize;
  const size = Math.min(run.options.batchSize, run.fit.count - from);
  run.buffer.fill(run.fit, run.order, from, size);
  if (run.options.augment) augmentBatch(run.buffer.pixels, size, run.random);
  const [loss, accuracy] = run.parallel
    ? await run.parallel.step(size)
    : await trainOnBuffer(run.model, run.buffer, size);
  return { loss, accuracy, size };
}

async function trainOnBuffer(model: LayersModel, buffer: BatchBuffer, size: number): Promise<[number, number]> {
  const x = imageBatch(model, buffer.pixels, size);
  const y = tf.tensor2d(buffer.targets.subarray(0, size * DIGIT_CLASSES), [size, DIGIT_CLASSES]);
  try {
    const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
    return [loss, accuracy];
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Loss and accuracy of the model on labelled tensors, in batches. */
export async function evaluateTensors(
  model: LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize = 500,
): Promise<[number, number]> {
  const scalars = model.evaluate(x, y, { batchSize }) as tf.Scalar[];
  const values = await Promise.all(scalars.map((s) => s.data()));
  scalars.forEach((s) => s.dispose());
  return [values[0][0], values[1][0]];
}

/** Frees a model's weights and its optimizer's slot variables (which the model does not own). */
export function disposeModel(model: LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}
