// A training worker thread: one replica of the model on the single-threaded wasm backend. Each step it takes the
// gradient of its share of the shared batch, waits for the other workers at a barrier, adds up all their
// gradients and applies Adam: the same update in every worker, so the replicas stay identical.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend';
import { fuseConvolutions } from '../fusedConvolution';
import { IMAGE_SIDE, IMAGE_SIZE } from '../idx';
import { compileModel, DIGIT_CLASSES } from '../model';
import { flatWeights, setFlatWeights } from './flatWeights';
import { parseToWorker, shareOf, type FromWorker, type WorkerSetup } from './protocol';

const setup = workerData as WorkerSetup;
const pixels = new Float32Array(setup.pixels);
const targets = new Float32Array(setup.targets);
const barrier = new Int32Array(setup.barrier);
const ARRIVED = 0;
const GENERATION = 1;
const ABANDONED = 2;

let model: tfl.LayersModel | undefined;
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

function step(size: number): FromWorker {
  const replica = model!;
  const variables = replica.trainableWeights.map((w) => w.read() as tf.Variable);
  const parameters = variables.reduce((sum, v) => sum + v.size, 0);
  const slots = new Float32Array(setup.gradients, (steps++ & 1) * setup.workers * parameters * 4, setup.workers * parameters);
  const own = slots.subarray(setup.rank * parameters, (setup.rank + 1) * parameters);
  const [start, end] = shareOf(size, setup.rank, setup.workers);
  const count = end - start;
  let lossSum = 0;
  let correct = 0;

  own.fill(0);
  if (count > 0) {
    const x = tf.tensor4d(pixels.subarray(start * IMAGE_SIZE, end * IMAGE_SIZE), [count, IMAGE_SIDE, IMAGE_SIDE, 1]);
    const y = tf.tensor2d(targets.subarray(start * DIGIT_CLASSES, end * DIGIT_CLASSES), [count, DIGIT_CLASSES]);
    let hits: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const predictions = replica.apply(x, { training: true }) as tf.Tensor;
      hits = tf.keep(tf.sum(tfl.metrics.categoricalAccuracy(y, predictions))) as tf.Scalar;
      return tf.mean(tfl.metrics.categoricalCrossentropy(y, predictions)) as tf.Scalar;
    }, variables);
    // Weighted by the share of the batch, so that the workers' gradients add up to the batch mean.
    const weight = count / size;
    let offset = 0;
    for (const v of variables) {
      const g = grads[v.name].dataSync();
      for (let i = 0; i < g.length; i++) own[offset + i] = g[i] * weight;
      offset += v.size;
    }
    lossSum = value.dataSync()[0] * count;
    correct = Math.round(hits!.dataSync()[0]);
    tf.dispose([x, y, value, hits!, ...Object.values(grads)]);
  }

  meetOtherWorkers();
  const total = new Float32Array(parameters);
  for (let rank = 0; rank < setup.workers; rank++) {
    const slot = slots.subarray(rank * parameters, (rank + 1) * parameters);
    for (let i = 0; i < parameters; i++) total[i] += slot[i];
  }
  let offset = 0;
  const named = variables.map((v) => {
    const tensor = tf.tensor(total.subarray(offset, offset + v.size), v.shape, 'float32');
    offset += v.size;
    return { name: v.name, tensor };
  });
  replica.optimizer.applyGradients(named);
  tf.dispose(named.map((n) => n.tensor));
  return { type: 'stepped', lossSum, correct };
}

async function handle(raw: unknown): Promise<void> {
  const message = parseToWorker(raw);
  if (!message) throw new Error('malformed message from the training loop');
  switch (message.type) {
    case 'init': {
      await initBackend('wasm', { threads: 1 });
      model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(message.topology) });
      setFlatWeights(model, message.weights);
      compileModel(model, message.learningRate);
      fuseConvolutions(model);
      return send({ type: 'ready' });
    }
    case 'step':
      return send(step(message.size));
    case 'sendWeights': {
      const weights = flatWeights(model!);
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
