// MNIST: Train Model — asks for the architecture, runs the engine in a child process with a cancellable progress
// notification, keeps the run and makes it the active model.
import * as vscode from 'vscode';
import { BUNDLES, builtFile, defaultDataDir } from '../../engine/paths';
import { formatBatch, formatEpoch, formatEvaluating } from '../../engine/training/progressText';
import { formatPercent } from '../../shared/format';
import type { ModelManager } from '../modelManager';
import {
  ARCHITECTURE_SETTING,
  architectureFromSettings,
  backendFromSettings,
  runsKeepFromSettings,
  trainOptionsFromSettings,
  type SettingReader,
} from '../settings';
import { readMnistSetting, warnSetting } from '../vscodeSettings';
import {
  ARCHITECTURE_CHOICES,
  ARCHITECTURE_DESCRIPTIONS,
  isArchitectureChoice,
  isBuiltInArchitecture,
  type ArchitectureChoice,
  type ArchitectureSpec,
} from '../../engine/model/architectureNames';
import { pruneRuns } from '../../engine/runs/runStore';
import type { BackendPreference } from '../../engine/backendNames';
import type { TrainOptions } from '../../engine/training/trainOptions';
import type { TrainerEvent } from '../../engine/training/trainerProtocol';
import type { TrainingMonitor } from '../training/trainingMonitor';
import { TrainingRun, type RunOutcome } from '../training/trainingRun';
import { errorMessage } from '../../shared/errors';

export interface TrainingDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  models: ModelManager;
  monitor: TrainingMonitor;
  nativeSearchPaths: () => string[];
  showChart: () => void;
  afterTraining?: (outcome: RunOutcome) => void;
}

export class TrainingController implements vscode.Disposable {
  private run: TrainingRun | undefined;

  constructor(private readonly deps: TrainingDeps) {}

  get running(): boolean {
    return this.run !== undefined;
  }

  stop(): void {
    if (!this.run) return;
    this.deps.log.info('Cancelling training…');
    this.run.cancel();
  }

  /** Trains `architecture` (as mnist.training.architecture names them), or the one the user picks when not given. */
  async train(architecture?: unknown): Promise<RunOutcome | undefined> {
    if (this.run) return this.offerRunningTraining();
    const options = optionsFromSettings(readMnistSetting);
    if (!options) return undefined;
    const choice = isArchitectureChoice(architecture) ? architecture : await pickArchitecture();
    if (!choice) return undefined;
    const run = this.start(options, this.architectureSpec(choice), backendFromSettings(readMnistSetting, warnSetting));
    const outcome = await this.showProgress(run);
    this.run = undefined;
    void vscode.commands.executeCommand('setContext', 'mnist.trainingRunning', false);
    await this.finish(outcome);
    return outcome;
  }

  /** A run is already going: offer to show or stop it. */
  private async offerRunningTraining(): Promise<undefined> {
    const choice = await vscode.window.showInformationMessage(
      'MNIST: a training run is already in progress.',
      'Show Training',
      'Stop Training',
    );
    if (choice === 'Show Training') this.deps.showChart();
    if (choice === 'Stop Training') this.stop();
    return undefined;
  }

  /** A built-in architecture, or the active model's (a bundled, kept or mnist.modelPath model alike). */
  private architectureSpec(choice: ArchitectureChoice): ArchitectureSpec {
    if (isBuiltInArchitecture(choice)) return { builtIn: choice };
    return { model: this.deps.models.source().path, fineTune: choice === 'fine-tune' };
  }

  /** Starts the training process, and feeds its events to the chart and the output channel. */
  private start(options: TrainOptions, architecture: ArchitectureSpec, backend: BackendPreference): TrainingRun {
    const { log, monitor, context } = this.deps;
    const run = new TrainingRun(
      {
        type: 'start',
        options,
        architecture,
        backend,
        nativeSearchPaths: this.deps.nativeSearchPaths(),
        dataDir: defaultDataDir(context.extensionPath),
        destination: { runsDir: this.deps.models.runsDir },
      },
      {
        trainerScript: builtFile(BUNDLES.trainer),
        onMalformedMessage: (message) =>
          log.warn(`Ignored a malformed message from the training process: ${JSON.stringify(message).slice(0, 200)}`),
      },
    );
    this.run = run;
    void vscode.commands.executeCommand('setContext', 'mnist.trainingRunning', true);
    log.info(`Training started (process ${run.pid}): ${JSON.stringify(architecture)} ${JSON.stringify(options)}`);
    monitor.start(options.epochs, options.batchSize);
    this.deps.showChart();
    run.on('event', (event) => {
      monitor.record(event);
      logEvent(log, event);
    });
    return run;
  }

  /** The cancellable progress notification, until the run ends. */
  private showProgress(run: TrainingRun): Thenable<RunOutcome> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'MNIST: Training', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop());
        run.on('event', progressReporter(progress));
        return run.finished;
      },
    );
  }

  private async finish(outcome: RunOutcome): Promise<void> {
    const { log, monitor, models } = this.deps;
    this.deps.afterTraining?.(outcome);
    if (outcome.status === 'cancelled') {
      monitor.finish('Training was cancelled; the previous model is still active.');
      log.info('Training cancelled; the previous model is kept.');
      void vscode.window.showInformationMessage('MNIST: training cancelled. The previous model is still active.');
      return;
    }
    if (outcome.status === 'failed') {
      monitor.finish(`Training failed: ${outcome.message}`);
      log.error(`Training failed: ${outcome.message}`);
      // Not awaited (here and below): the notification stays until the user answers, and the command's result must not wait for that.
      void vscode.window
        .showErrorMessage(
          `MNIST: training failed — ${outcome.message}. The previous model is still active.`,
          'Show Log',
        )
        .then((choice) => choice === 'Show Log' && log.show());
      return;
    }
    const done = outcome.event;
    if (done.runId) {
      await models.useRun(done.runId);
      await this.pruneRuns();
    }
    const summary = `Test accuracy ${formatPercent(done.testAccuracy, 2)} after ${done.epochsRun} epoch${done.epochsRun === 1 ? '' : 's'} (${Math.round(done.seconds)} s)`;
    monitor.finish(`Finished: ${summary}.`);
    const trainedBy = done.workers > 1 ? ` on ${done.workers} worker threads` : '';
    log.info(
      `${summary}${trainedBy}${done.stoppedEarly ? `, stopped early, best epoch ${done.bestEpoch}` : ''}. Saved as run ${done.runId} (${done.modelDir}) and now active.`,
    );
    void vscode.window
      .showInformationMessage(
        `MNIST: training finished — ${summary}. The new model is active.`,
        'Open Sketchpad',
        'Show Model Summary',
      )
      .then((choice) => {
        if (choice === 'Open Sketchpad') void vscode.commands.executeCommand('mnist.openSketchpad');
        if (choice === 'Show Model Summary') void vscode.commands.executeCommand('mnist.showModelSummary');
      });
  }

  /** Keeps mnist.runs.keep runs, never the active one; a failure is logged, the run itself is kept. */
  private async pruneRuns(): Promise<void> {
    const { log, models } = this.deps;
    const keep = runsKeepFromSettings(readMnistSetting, warnSetting);
    const active = models.activeRunId();
    try {
      const removed = await pruneRuns(models.runsDir, keep, active ? [active] : []);
      if (removed.length) log.info(`Removed the oldest runs beyond mnist.runs.keep (${keep}): ${removed.join(', ')}`);
    } catch (err) {
      log.warn(`Could not remove old runs from ${models.runsDir}: ${errorMessage(err)}`);
    }
  }

  dispose(): void {
    this.run?.cancel();
  }
}

/**
 * The architecture quick pick, mnist.training.architecture first and selected; the choice is written to that setting
 * (the user's, not a workspace's), so it is offered first next time. Undefined when dismissed.
 */
async function pickArchitecture(): Promise<ArchitectureChoice | undefined> {
  const current = architectureFromSettings(readMnistSetting, warnSetting);
  const items = [current, ...ARCHITECTURE_CHOICES.filter((name) => name !== current)].map((name) => ({
    label: name,
    detail: ARCHITECTURE_DESCRIPTIONS[name],
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'MNIST: Train Model',
    placeHolder: 'Architecture to train',
  });
  if (!picked) return undefined;
  const choice = picked.label as ArchitectureChoice;
  if (choice !== current) {
    await vscode.workspace
      .getConfiguration('mnist')
      .update(ARCHITECTURE_SETTING, choice, vscode.ConfigurationTarget.Global);
  }
  return choice;
}

/** The training options the settings ask for; undefined, after naming the bad setting, when one is out of range. */
function optionsFromSettings(read: SettingReader): TrainOptions | undefined {
  try {
    return trainOptionsFromSettings(read);
  } catch (err) {
    void vscode.window
      .showErrorMessage(`MNIST: cannot train: ${errorMessage(err)}.`, 'Open Settings')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', 'mnist.training'));
    return undefined;
  }
}

/** Turns the run's events into the notification's message and its share of the whole run done. */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>) {
  let reported = 0;
  return (event: TrainerEvent) => {
    if (event.type === 'batch') {
      const done = ((event.epoch - 1) * event.batches + event.batch) / (event.epochs * event.batches);
      progress.report({ increment: Math.max(0, done * 100 - reported), message: formatBatch(event) });
      reported = Math.max(reported, done * 100);
    } else if (event.type === 'evaluating') {
      progress.report({ message: formatEvaluating(event.done, event.total) });
    } else if (event.type === 'backend') {
      progress.report({ message: `Loading MNIST on the ${event.name} backend…` });
    }
  };
}

function logEvent(log: vscode.LogOutputChannel, event: TrainerEvent): void {
  switch (event.type) {
    case 'backend':
      log.info(`Backend: ${event.name} — ${event.reason}`);
      if (event.warning) log.warn(event.warning);
      break;
    case 'epoch':
      log.info(formatEpoch(event.result));
      break;
    default:
      break;
  }
}
