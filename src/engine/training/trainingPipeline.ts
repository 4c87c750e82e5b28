// A whole training run, the one behind both `npm run mnist -- train` and the extension's training process: start the
// backend, load MNIST, build the model to train, train, evaluate on the test set, record what happened, save (as a
// kept run, or into a model folder). Callers only relay progress.
import { initBackend, type BackendChoice } from '../backend';
import type { BackendPreference } from '../backendNames';
import { loadMnist, type DigitSet } from '../data/idx';
import { evaluate, type Evaluation } from '../evaluate';
import type { ArchitectureSpec } from '../model/architectureNames';
import type { ModelMetadata } from '../model/metadata';
import { saveModel, trainedModelMetadata } from '../model/storage';
import { saveRun } from '../runs/saveRun';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { modelToTrain } from './modelToTrain';
import { disposeModel, train, TrainingCancelledError, type TrainCallbacks, type TrainResult } from './train';
import type { TrainOptions } from './trainOptions';
import type { Destination } from './trainerProtocol';

export interface TrainingRequest {
  options: TrainOptions;
  architecture: ArchitectureSpec;
  backend: BackendPreference;
  /** Folders to look for an installed @tensorflow/tfjs-node in. */
  nativeSearchPaths?: string[];
  /** The MNIST files' folder. */
  dataDir: string;
  destination: Destination;
}

export interface TrainingCallbacks extends TrainCallbacks {
  onBackend?: (backend: BackendChoice) => void | Promise<void>;
  onEvaluating?: (done: number, total: number) => void | Promise<void>;
}

export interface TrainingOutcome extends Omit<TrainResult, 'model'> {
  backend: BackendChoice;
  evaluation: Evaluation;
  metadata: ModelMetadata;
  modelDir: string;
  /** The kept run's id, when saved as a run. */
  runId?: string;
}

export async function trainEvaluateSave(
  request: TrainingRequest,
  callbacks: TrainingCallbacks = {},
): Promise<TrainingOutcome> {
  const backend = await initBackend(request.backend, {
    nativeSearchPaths: request.nativeSearchPaths,
    task: 'training',
  });
  await callbacks.onBackend?.(backend);
  const data = loadMnist(request.dataDir);

  const { options } = request;
  const { model: initial, ...architecture } = await modelToTrain(
    request.architecture,
    options.learningRate,
    options.seed,
  );
  const { model, ...trained } = await train(data.train, options, callbacks, initial);
  try {
    const evaluation = await evaluateOnTestSet(model, data.test, callbacks);
    const metadata = trainedModelMetadata(trained, evaluation, backend.name, options, architecture);
    const saved = await save(model, request.destination, metadata);
    return { ...trained, backend, evaluation, metadata, ...saved };
  } finally {
    disposeModel(model);
  }
}

async function save(
  model: LayersModel,
  destination: Destination,
  metadata: ModelMetadata,
): Promise<{ modelDir: string; runId?: string }> {
  if ('modelDir' in destination) {
    await saveModel(model, destination.modelDir, metadata);
    return { modelDir: destination.modelDir };
  }
  const run = await saveRun(model, destination.runsDir, metadata);
  return { modelDir: run.dir, runId: run.id };
}

/** A cancel during the evaluation cancels the training: nothing is saved. */
async function evaluateOnTestSet(
  model: LayersModel,
  test: DigitSet,
  { signal, onEvaluating }: TrainingCallbacks,
): Promise<Evaluation> {
  let evaluation: Evaluation;
  try {
    evaluation = await evaluate(model, test, { signal, onProgress: onEvaluating });
  } catch (err) {
    throw signal?.aborted ? new TrainingCancelledError() : err;
  }
  if (signal?.aborted) throw new TrainingCancelledError();
  return evaluation;
}
