// The training process: forked by the extension host, trains with the engine, reports over IPC.
import { initBackend } from '../backend';
import { evaluate } from '../evaluate';
import { loadMnist } from '../data/idx';
import { saveModel, trainedModelMetadata } from '../model/storage';
import { disposeModel, train, TrainingCancelledError } from './train';
import { parseTrainerRequest, type TrainerEvent, type TrainerRequest } from './trainerProtocol';
import { errorMessage } from '../../shared/errors';

/** At most this many batch reports a second; the last batch of an epoch is always reported. */
const BATCH_REPORTS_PER_SECOND = 10;

function send(event: TrainerEvent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(event, undefined, {}, () => resolve());
  });
}

const controller = new AbortController();
let started = false;

async function run(request: Extract<TrainerRequest, { type: 'start' }>): Promise<void> {
  const backend = await initBackend(request.backend, { nativeSearchPaths: request.nativeSearchPaths });
  await send({ type: 'backend', name: backend.name, reason: backend.reason, warning: backend.warning });
  const data = loadMnist(request.dataDir);
  let lastReport = 0;
  const result = await train(data.train, request.options, {
    signal: controller.signal,
    onBatchEnd: async (p) => {
      const now = performance.now();
      if (p.batch !== p.batches && now - lastReport < 1000 / BATCH_REPORTS_PER_SECOND) return;
      lastReport = now;
      await send({ type: 'batch', ...p });
    },
    onEpochEnd: (result) => send({ type: 'epoch', result }),
  });
  try {
    const evaluation = await evaluate(result.model, data.test, {
      signal: controller.signal,
      onProgress: (done, total) => send({ type: 'evaluating', done, total }),
    });
    if (controller.signal.aborted) throw new TrainingCancelledError();
    const metadata = trainedModelMetadata(
      result,
      evaluation,
      backend.name,
      request.options,
      request.options.trainingSubset || data.train.count,
    );
    await saveModel(result.model, request.outDir, metadata);
    await send({
      type: 'done',
      modelDir: request.outDir,
      testAccuracy: evaluation.accuracy,
      testLoss: evaluation.loss,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      seconds: result.seconds,
      workers: result.workers,
    });
  } finally {
    disposeModel(result.model);
  }
}

process.on('message', (message) => {
  const request = parseTrainerRequest(message);
  if (!request) {
    void send({
      type: 'failed',
      message: `the training process received a malformed request: ${JSON.stringify(message).slice(0, 200)}`,
    });
    return;
  }
  if (request.type === 'cancel') {
    controller.abort();
    return;
  }
  if (started) return;
  started = true;
  run(request)
    .catch(async (err) => {
      if (err instanceof TrainingCancelledError || controller.signal.aborted) await send({ type: 'cancelled' });
      else await send({ type: 'failed', message: errorMessage(err) });
    })
    .finally(() => process.exit(0));
});

// The extension host went away: stop at once, saving nothing.
process.on('disconnect', () => process.exit(0));
