// The training loop: seeded shuffles, progress per batch and epoch, early stopping, cancellation; in this thread
// or, on the wasm backend with two or more cores, in data-parallel worker threads (parallel/dataParallel.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { augmentBatch } from '../data/augment';
import { BatchBuffer, normalise, sliceExamples, type Examples } from '../data/dataset';
import { type DigitSet } from '../data/idx';
import { IMAGE_SIDE } from '../../shared/mnistImage';
import { fuseConvolutions } from '../wasm/fusedConvolution';
import {
  canTrainInParallel,
  DataParallelTrainer,
  defaultParallelism,
  type Parallelism,
} from '../parallel/dataParallel';
import { createModel } from '../model/architecture';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import { DEFAULT_TRAIN_OPTIONS, parseTrainOptions, type TrainOptions } from './trainOptions';
import { seededRandom, shuffle } from '../data/random';

export interface BatchProgress {
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface EpochResult {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  imagesPerSecond: number;
  seconds: number;
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
  const validationCount = Math.floor(total * options.validationSplit);
  if (validationCount === 0) return { fit: all };
  return {
    fit: sliceExamples(all, 0, total - validationCount),
    validation: sliceExamples(all, total - validationCount, total),
  };
}

export function examplesToTensors(examples: Examples): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.tensor4d(examples.pixels, [examples.count, IMAGE_SIDE, IMAGE_SIDE, 1]),
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

  const random = seededRandom(options.seed);
  const order = Uint32Array.from({ length: fit.count }, (_, i) => i);
  const batches = Math.ceil(fit.count / options.batchSize);
  const parallelism = callbacks.parallelism ?? defaultParallelism();
  const started = performance.now();
  const validationTensors = validation ? examplesToTensors(validation) : undefined;
  const history: EpochResult[] = [];
  let parallel: DataParallelTrainer | undefined;
  let best: { valLoss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  let stoppedEarly = false;

  try {
    if (canTrainInParallel(parallelism, tf.getBackend())) {
      parallel = await DataParallelTrainer.start(model, options.learningRate, options.batchSize, parallelism);
    }
    const buffer = parallel?.batch ?? new BatchBuffer(options.batchSize);
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      shuffle(order, random);
      const epochStart = performance.now();
      let lossSum = 0;
      let accuracySum = 0;
      let seen = 0;
      for (let batch = 1; batch <= batches; batch++) {
        if (callbacks.signal?.aborted) throw new TrainingCancelledError();
        const from = (batch - 1) * options.batchSize;
        const size = Math.min(options.batchSize, fit.count - from);
        buffer.fill(fit, order, from, size);
        if (options.augment) augmentBatch(buffer.pixels, size, random);
        const [loss, accuracy] = parallel ? await parallel.step(size) : await trainOnBuffer(model, buffer, size);
        lossSum += loss * size;
        accuracySum += accuracy * size;
        seen += size;
        const imagesPerSecond = seen / ((performance.now() - epochStart) / 1000);
        await callbacks.onBatchEnd?.({
          epoch,
          epochs: options.epochs,
          batch,
          batches,
          loss: lossSum / seen,
          accuracy: accuracySum / seen,
          imagesPerSecond,
        });
      }
      const trainSeconds = (performance.now() - epochStart) / 1000;
      await parallel?.copyWeightsTo(model);
      const result: EpochResult = {
        epoch,
        epochs: options.epochs,
        loss: lossSum / seen,
        accuracy: accuracySum / seen,
        imagesPerSecond: seen / trainSeconds,
        seconds: 0,
      };
      if (validationTensors) {
        const [valLoss, valAccuracy] = await evaluateTensors(model, validationTensors.x, validationTensors.y);
        result.valLoss = valLoss;
        result.valAccuracy = valAccuracy;
      }
      result.seconds = (performance.now() - epochStart) / 1000;
      history.push(result);
      await callbacks.onEpochEnd?.(result);

      if (result.valLoss !== undefined && options.earlyStoppingPatience > 0) {
        if (!best || result.valLoss < best.valLoss) {
          best?.weights.forEach((w) => w.dispose());
          best = { valLoss: result.valLoss, epoch, weights: model.getWeights().map((w) => tf.keep(w.clone())) };
        } else if (epoch - best.epoch >= options.earlyStoppingPatience) {
          stoppedEarly = true;
          break;
        }
      }
    }
    if (best && best.epoch !== history.length) model.setWeights(best.weights);
    return {
      model,
      history,
      epochsRun: history.length,
      bestEpoch: best?.epoch ?? history.length,
      stoppedEarly,
      seconds: (performance.now() - started) / 1000,
      workers: parallel ? parallelism.workers : 1,
    };
  } catch (err) {
    disposeModel(model);
    throw err;
  } finally {
    await parallel?.dispose();
    best?.weights.forEach((w) => w.dispose());
    validationTensors?.x.dispose();
    validationTensors?.y.dispose();
  }
}

async function trainOnBuffer(model: LayersModel, buffer: BatchBuffer, size: number): Promise<[number, number]> {
  const x = tf.tensor4d(buffer.pixels.subarray(0, size * IMAGE_SIDE * IMAGE_SIDE), [size, IMAGE_SIDE, IMAGE_SIDE, 1]);
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
