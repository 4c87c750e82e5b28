// Throughput and latency figures: training at three batch sizes, batched inference, single-image latency, and one
// network activations update.
import { type Mnist } from '../engine/data/idx';
import { IMAGE_SIZE } from '../shared/mnistImage';
import { normalise } from '../engine/data/dataset';
import { createModel } from '../engine/model/architecture';
import { networkActivations } from '../engine/model/activations';
import type { BuiltInArchitecture } from '../engine/model/architectureNames';
import { predictDigit, predictProbabilities } from '../engine/predict';
import { disposeModel, train } from '../engine/training/train';

export interface BenchResult {
  backend: string;
  architecture: BuiltInArchitecture;
  /** Worker threads that trained (data-parallel), or 1. */
  train_workers: number;
  train_img_s_b32: number;
  train_img_s_b64: number;
  train_img_s_b128: number;
  infer_img_s: number;
  latency_ms_p50: number;
  latency_ms_p99: number;
  /** One network activations update (every layer's output and three saliency maps) for a single image. */
  activations_ms_p50: number;
  activations_ms_p99: number;
  peak_rss_mb: number;
}

export interface BenchOptions {
  /** Repetitions of each measurement; the median is reported. */
  repeats?: number;
  trainImages?: number;
  /** The model trained and run (default: the seed CNN). */
  architecture?: BuiltInArchitecture;
  onStep?: (message: string) => void;
}

/** Images timed per training measurement (after the warm-up batches). */
export const DEFAULT_BENCH_TRAIN_IMAGES = 3200;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Images/s of training on real MNIST, timed after `warmupBatches`, and the worker threads that trained. */
export async function measureTraining(
  data: Mnist,
  batchSize: number,
  images: number,
  architecture: BuiltInArchitecture = 'seed',
  warmupBatches = 3,
): Promise<[number, number]> {
  const batches = Math.ceil(images / batchSize);
  const subset = (batches + warmupBatches) * batchSize;
  let timedFrom = 0;
  let elapsed = 0;
  const result = await train(
    data.train,
    { epochs: 1, batchSize, trainingSubset: subset, validationSplit: 0, earlyStoppingPatience: 0 },
    {
      onBatchEnd: ({ batch }) => {
        if (batch === warmupBatches) timedFrom = performance.now();
        if (batch === warmupBatches + batches) elapsed = performance.now() - timedFrom;
      },
    },
    createModel(undefined, undefined, architecture),
  );
  disposeModel(result.model);
  return [(batches * batchSize) / (elapsed / 1000), result.workers];
}

export async function runBench(data: Mnist, backend: string, options: BenchOptions = {}): Promise<BenchResult> {
  const repeats = options.repeats ?? 3;
  const trainImages = options.trainImages ?? DEFAULT_BENCH_TRAIN_IMAGES;
  const architecture = options.architecture ?? 'seed';
  const step = options.onStep ?? (() => {});
  const repeat = async (measure: () => Promise<number> | number) => {
    const values: number[] = [];
    for (let i = 0; i < repeats; i++) values.push(await measure());
    return median(values);
  };

  let workers = 1;
  const measure = async (batchSize: number) => {
    const [imagesPerSecond, trainedBy] = await measureTraining(data, batchSize, trainImages, architecture);
    workers = trainedBy;
    return imagesPerSecond;
  };
  step(`training, batch 32, ${trainImages} images x ${repeats}`);
  const train32 = await repeat(() => measure(32));
  step(`training, batch 64, ${trainImages} images x ${repeats}`);
  const train64 = await repeat(() => measure(64));
  step(`training, batch 128, ${trainImages} images x ${repeats}`);
  const train128 = await repeat(() => measure(128));

  const model = createModel(undefined, undefined, architecture);
  const test = normalise(data.test);
  step(`batched inference, ${test.count} images x ${repeats}`);
  predictProbabilities(model, test.pixels, 256); // warm-up
  const inference = await repeat(() => {
    const started = performance.now();
    for (let start = 0; start < test.count; start += 256) {
      predictProbabilities(model, test.pixels.subarray(start * IMAGE_SIZE), Math.min(256, test.count - start));
    }
    return test.count / ((performance.now() - started) / 1000);
  });

  step('single-image latency, 500 predictions');
  const latencies: number[] = [];
  for (let i = 0; i < 520; i++) {
    const image = test.pixels.subarray((i % test.count) * IMAGE_SIZE, ((i % test.count) + 1) * IMAGE_SIZE);
    const started = performance.now();
    predictDigit(model, image);
    if (i >= 20) latencies.push(performance.now() - started);
  }
  step('activations updates, 200 images');
  const updates: number[] = [];
  for (let i = 0; i < 210; i++) {
    const started = performance.now();
    networkActivations(model, test.pixels.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE));
    if (i >= 10) updates.push(performance.now() - started);
  }
  disposeModel(model);

  return {
    backend,
    architecture,
    train_workers: workers,
    train_img_s_b32: Math.round(train32),
    train_img_s_b64: Math.round(train64),
    train_img_s_b128: Math.round(train128),
    infer_img_s: Math.round(inference),
    latency_ms_p50: round2(percentile(latencies, 50)),
    latency_ms_p99: round2(percentile(latencies, 99)),
    activations_ms_p50: round2(percentile(updates, 50)),
    activations_ms_p99: round2(percentile(updates, 99)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
