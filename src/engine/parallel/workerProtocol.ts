// Messages between the training loop and its worker threads (data-parallel training), validated on receipt.
import * as v from 'valibot';
import { validMessage } from '../../shared/messageValidation';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());

/** Shared memory, handed to each worker when it starts. */
export interface WorkerSetup {
  rank: number;
  workers: number;
  /** The batch the loop fills: capacity x 784 pixels and capacity x 10 one-hot targets. */
  pixels: SharedArrayBuffer;
  targets: SharedArrayBuffer;
  /** Two generations (even/odd steps) of one gradient slot per worker, each `parameters` floats. */
  gradients: SharedArrayBuffer;
  /** [arrived, generation]: the barrier the workers meet at before averaging. */
  barrier: SharedArrayBuffer;
}

export const ToWorkerSchema = v.variant('type', [
  v.object({
    type: v.literal('init'),
    /** The model's topology (model.toJSON), its weights in order, flattened, and Adam's learning rate. */
    topology: v.string(),
    weights: v.instance(Float32Array),
    learningRate: v.pipe(finite, v.gtValue(0)),
  }),
  /** Train on the first `size` examples of the shared batch; each worker takes its share. */
  v.object({ type: v.literal('step'), size: v.pipe(count, v.minValue(1)) }),
  v.object({ type: v.literal('sendWeights') }),
  v.object({ type: v.literal('sendTensorCount') }),
]);

export const FromWorkerSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  /** Sums over this worker's share: loss x examples, correct predictions. */
  v.object({ type: v.literal('stepped'), lossSum: finite, correct: count }),
  v.object({ type: v.literal('weights'), weights: v.instance(Float32Array) }),
  v.object({ type: v.literal('tensorCount'), tensors: count }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);

export type ToWorker = v.InferOutput<typeof ToWorkerSchema>;
export type FromWorker = v.InferOutput<typeof FromWorkerSchema>;

export function parseToWorker(message: unknown): ToWorker | undefined {
  return validMessage(ToWorkerSchema, message);
}

export function parseFromWorker(message: unknown): FromWorker | undefined {
  return validMessage(FromWorkerSchema, message);
}

/** The examples [start, end) of a batch of `size` that worker `rank` of `workers` trains on. */
export function shareOf(size: number, rank: number, workers: number): [number, number] {
  const start = Math.floor((size * rank) / workers);
  return [start, Math.floor((size * (rank + 1)) / workers)];
}
