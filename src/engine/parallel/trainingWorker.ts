// A training worker thread: one replica of the model on the single-threaded wasm backend. Each step it takes the
// gradient of its share of the shared batch, waits for the other workers at a barrier, adds up all their
// gradients and applies Adam (in one pass over the flat weights): the same update in every worker, so the
// replicas stay identical. Weights that are not trained (BatchNormalization's moving mean and variance, which each
// replica updates from its share) are averaged over the workers at the same barrier.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend';
import { fuseConvolutions } from '../wasm/fusedConvolution';
import { IMAGE_SIZE } from '../../shared/mnistImage';
import { imageBatch } from '../predict';
import { compileModel } from '../model/architecture';
import { DIGIT_CLASSES } from '../../shared/mnistImage';
import { FlatAdam, type AdamConfig } from './flatAdam';
import { flatWeights, setFlatWeights, tensorsFromFlat } from './flatWeights';
import { parseToWorker, shareOf, type FromWorker, type WorkerSetup } from './workerProtocol';

const setup = workerData as WorkerSetup;
const pixels = new Float32Array(setup.pixels);
const targets = new Float32Array(setup.targets);
const barrier = new Int32Array(setup.barrier);
const ARRIVED = 0;
const GENERATION = 1;
const ABANDONED = 2;

/**
 * The model replica, its trainable variables, their values (flat, in order) and the optimizer that updates them; its
 * other variables and their values (they follow the trainable ones in the model's flat weights).
 */
interface Replica {
  model: tfl.LayersModel;
  variables: tf.Variable[];
  values: Float32Array;
  adam: FlatAdam;
  statistics: tf.Variable[];
  statisticValues: Float32Array;
}

let replica: Replica | undefined;
let steps = 0;

function send(message: FromWorker, transfer: ArrayBuffer[] = []) {
  parentPort!.postMessage(message, transfer);
}

/** Waits until every worker has arrived; throws if one of them gave up. */
function meetOtherWorkers(): void {
  const generation = Atomics.load(barrier, GENERATION);
  if (Atomics.add(barrier, ARRIVED, 1) === setup.workers - 1) {
    Atomics.store(barrier, ARRIVED, 0);
    Atomics.add(barrier, GENERATION, 1);
    Atomics.notify(barrier, GENERATION);
    return;
  }
  while (Atomics.load(barrier, GENERATION) === generation) {
    if (Atomics.load(barrier, ABANDONED)) throw new Error('another training worker failed');
    Atomics.wait(barrier, GENERATION, generation, 1000);
  }
}

async function startReplica(topology: string, weights: Float32Array, learningRate: number): Promise<Replica> {
  await initBackend('wasm', { threads: 1 });
  const model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(topology) });
  setFlatWeights(model, weights);
  compileModel(model, learningRate);
  fuseConvolutions(model);
  // model.weights (the order of the flat weights) is the trainable weights, then the others.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const statistics = model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  const trained = variables.reduce((sum, v) => sum + v.size, 0);
  // The same learning rate, betas and epsilon as the compiled tfjs Adam.
  const adam = new FlatAdam(model.optimizer.getConfig() as unknown as AdamConfig, trained);
  return {
    model,
    variables,
    values: weights.slice(0, trained),
    adam,
    statistics,
    statisticValues: weights.slice(trained),
  };
}

function step(replica: Replica, size: number): FromWorker {
  const { model, variables, values, adam, statistics, statisticValues } = replica;
  const trained = values.length;
  const parameters = trained + statisticValues.length;
  const slots = new Float32Array(
    setup.gradients,
    (steps++ & 1) * setup.workers * parameters * 4,
    setup.workers * parameters,
  );
  const own = slots.subarray(setup.rank * parameters, (setup.rank + 1) * parameters);
  const [start, end] = shareOf(size, setup.rank, setup.workers);
  const count = end - start;
  let lossSum = 0;
  let correct = 0;

  own.fill(0);
  let offset = 0;
  if (count > 0) {
    const x = imageBatch(model, pixels.subarray(start * IMAGE_SIZE), count);
    const y = tf.tensor2d(targets.subarray(start * DIGIT_CLASSES, end * DIGIT_CLASSES), [count, DIGIT_CLASSES]);
    let hits: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const predictions = model.apply(x, { training: true }) as tf.Tensor;
      hits = tf.keep(tf.sum(tfl.metrics.categoricalAccuracy(y, predictions))) as tf.Scalar;
      return tf.mean(tfl.metrics.categoricalCrossentropy(y, predictions)) as tf.Scalar;
    }, variables);
    // Weighted by the share of the batch, so that the workers' gradients add up to the batch mean.
    const weight = count / size;
    for (const v of variables) {
      const g = grads[v.name].dataSync();
      for (let i = 0; i < g.length; i++) own[offset + i] = g[i] * weight;
      offset += v.size;
    }
    lossSum = value.dataSync()[0] * count;
    correct = Math.round(hits!.dataSync()[0]);
    tf.dispose([x, y, value, hits!, ...Object.values(grads)]);
  }
  // The statistics as this share left them (unchanged when it was empty), weighted like the gradients.
  offset = trained;
  for (const v of statistics) {
    const current = v.dataSync();
    for (let i = 0; i < current.length; i++) own[offset + i] = current[i] * (count / size);
    offset += v.size;
  }

  meetOtherWorkers();
  const parts = Array.from({ length: setup.workers }, (_, rank) =>
    slots.subarray(rank * parameters, (rank + 1) * parameters),
  );
  adam.update(
    values,
    parts.map((part) => part.subarray(0, trained)),
  );
  statisticValues.fill(0);
  for (const part of parts) {
    for (let i = 0; i < statisticValues.length; i++) statisticValues[i] += part[trained + i];
  }
  assignFlat(variables, values);
  assignFlat(statistics, statisticValues);
  return { type: 'stepped', lossSum, correct };
}

/** New tensors, not writes in place: the backend caches packed convolution filters by tensor. */
function assignFlat(variables: tf.Variable[], flat: Float32Array): void {
  const updated = tensorsFromFlat(
    flat,
    variables.map((v) => v.shape),
  );
  variables.forEach((v, i) => v.assign(updated[i]));
  tf.dispose(updated);
}

function started(): Replica {
  if (!replica) throw new Error('the training worker got a request before init');
  return replica;
}

async function handle(raw: unknown): Promise<void> {
  const message = parseToWorker(raw);
  if (!message) throw new Error('malformed message from the training loop');
  switch (message.type) {
    case 'init':
      replica = await startReplica(message.topology, message.weights, message.learningRate);
      return send({ type: 'ready' });
    case 'step':
      return send(step(started(), message.size));
    case 'sendWeights': {
      const weights = flatWeights(started().model);
      return send({ type: 'weights', weights }, [weights.buffer as ArrayBuffer]);
    }
    case 'sendTensorCount':
      return send({ type: 'tensorCount', tensors: tf.memory().numTensors });
  }
}

parentPort!.on('message', (raw) => {
  handle(raw).catch((err) => {
    Atomics.store(barrier, ABANDONED, 1);
    Atomics.notify(barrier, GENERATION);
    send({ type: 'failed', message: String((err as Error)?.message ?? err) });
  });
});
