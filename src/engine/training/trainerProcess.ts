// The training process: forked by the extension host, runs the training pipeline and reports over IPC.
import { trainEvaluateSave } from './trainingPipeline';
import { TrainingCancelledError } from './train';
import { parseTrainerRequest, type TrainerEvent, type TrainerRequest } from './trainerProtocol';
import { parseTrainOptions } from './trainOptions';
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
  let lastReport = 0;
  const outcome = await trainEvaluateSave(request, {
    signal: controller.signal,
    onBackend: ({ name, reason, warning }) => send({ type: 'backend', name, reason, warning }),
    onBatchEnd: async (p) => {
      const now = performance.now();
      if (p.batch !== p.batches && now - lastReport < 1000 / BATCH_REPORTS_PER_SECOND) return;
      lastReport = now;
      await send({ type: 'batch', ...p });
    },
    onEpochEnd: (result) => send({ type: 'epoch', result }),
    onEvaluating: (done, total) => send({ type: 'evaluating', done, total }),
  });
  await send({
    type: 'done',
    modelDir: outcome.modelDir,
    runId: outcome.runId,
    testAccuracy: outcome.evaluation.accuracy,
    testLoss: outcome.evaluation.loss,
    epochsRun: outcome.epochsRun,
    bestEpoch: outcome.bestEpoch,
    stoppedEarly: outcome.stoppedEarly,
    seconds: outcome.seconds,
    workers: outcome.workers,
  });
}

process.on('message', (message) => {
  const request = parseTrainerRequest(message);
  if (request?.type === 'cancel') {
    controller.abort();
    return;
  }
  if (started) return;
  started = true;
  // A malformed first request ends the process too: the host waits for its exit.
  const work = request
    ? run(request)
    : Promise.reject(new Error(`the training process received a malformed request: ${problemOf(message)}`));
  work
    .catch(async (err) => {
      if (err instanceof TrainingCancelledError || controller.signal.aborted) await send({ type: 'cancelled' });
      else await send({ type: 'failed', message: errorMessage(err) });
    })
    .finally(() => process.exit(0));
});

/** What is wrong with a request: its bad training options by name, else the request itself. */
function problemOf(message: unknown): string {
  const options = (message as { options?: unknown } | null)?.options;
  try {
    if (options !== undefined) parseTrainOptions(options);
  } catch (err) {
    return errorMessage(err);
  }
  return JSON.stringify(message).slice(0, 200);
}

// The extension host went away: stop at once, saving nothing.
process.on('disconnect', () => process.exit(0));
