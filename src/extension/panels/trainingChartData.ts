// What the training chart shows: this session's training run, or else the active model's training as saved with
// it. No vscode import (unit-tested).
import type { ModelMetadata } from '../../engine/model/metadata';
import type { BatchLossPoint, EpochPoint, TrainingView } from '../../shared/trainingChartProtocol';
import type { TrainingSnapshot } from '../training/trainingMonitor';

const SAVED_TRAINING_STATUS = 'Training history of the active model.';

/**
 * The running or last run of this session if there was one; else the active model's training from its metadata
 * (read only then); else the monitor's idle snapshot.
 */
export function trainingView(run: TrainingSnapshot, activeModel: () => ModelMetadata | undefined): TrainingView {
  if (hasRun(run)) return runView(run);
  const metadata = activeModel();
  return metadata?.history?.length ? savedView(metadata.history, metadata.batchLoss ?? []) : runView(run);
}

/** A run sets the planned epochs when it starts, so only a run of this session has any. */
export function hasRun(run: TrainingSnapshot): boolean {
  return run.running || run.epochs > 0;
}

function runView(run: TrainingSnapshot): TrainingView {
  return {
    saved: false,
    running: run.running,
    status: run.status,
    epoch: run.epoch,
    epochs: run.epochs,
    imagesPerSecond: run.imagesPerSecond,
    etaSeconds: run.etaSeconds,
    history: run.history.map(epochPoint),
    batchLoss: run.batchLoss.map(batchPoint),
  };
}

function savedView(history: EpochPoint[], batchLoss: BatchLossPoint[]): TrainingView {
  const epochs = history[history.length - 1].epoch;
  return {
    saved: true,
    running: false,
    status: SAVED_TRAINING_STATUS,
    epoch: epochs,
    epochs,
    imagesPerSecond: 0,
    history: history.map(epochPoint),
    batchLoss: batchLoss.map(batchPoint),
  };
}

/** Only what the chart draws goes over the wire. */
function epochPoint({ epoch, loss, accuracy, valLoss, valAccuracy }: EpochPoint): EpochPoint {
  return { epoch, loss, accuracy, valLoss, valAccuracy };
}

function batchPoint({ x, loss }: BatchLossPoint): BatchLossPoint {
  return { x, loss };
}
