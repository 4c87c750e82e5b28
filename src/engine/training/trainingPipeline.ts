// A whole training run, the one behind both `npm run mnist -- train` and the extension's training process: start the
// backend, load MNIST, train, evaluate on the test set, record what happened, save. Callers only relay progress.
import { initBackend, type BackendChoice } from '../backend';
import type { BackendPreference } from '../backendNames';
import { loadMnist, type DigitSet } from '../data/idx';
import { evaluate, type Evaluation } from '../evaluate';
import type { ModelMetadata } from '../model/metadata';
import { saveModel, trainedModelMetadata } from '../model/storage';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { disposeModel, train, TrainingCancelledError, type TrainCallbacks, type TrainResult } from './train';
import type { TrainOptions } from './trainOptions';

export interface TrainingRequest {
  options: TrainOptions;
  backend: BackendPreference;
  /** Folders to look for an installed @tensorflow/tfjs-node in. */
  nativeSearchPaths?: string[];
  /** The MNIST files' folder. */
  dataDir: string;
  /** Where the trained model is saved (atomically). */
  outDir: string;
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

  const { model, ...trained } = await train(data.train, request.options, callbacks);
  try {
    const evaluation = await evaluateOnTestSet(model, data.test, callbacks);
    const metadata = trainedModelMetadata(trained, evaluation, backend.name, request.options);
    await saveModel(model, request.outDir, metadata);
    return { ...trained, backend, evaluation, metadata, modelDir: request.outDir };
  } finally {
    disposeModel(model);
  }
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
