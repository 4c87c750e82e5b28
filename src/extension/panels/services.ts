// What the extension gives the panels.
import type * as vscode from 'vscode';
import type { DigitClassifier } from '../../engine/classifier';
import type { Evaluation } from '../../engine/evaluate';
import type { DigitSet } from '../../engine/data/idx';
import type { ModelMetadata } from '../../engine/model/metadata';
import type { TrainingMonitor } from '../training/trainingMonitor';

export interface PanelServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** Creates the classifier (and loads TensorFlow.js) on first use. */
  classifier(): Promise<DigitClassifier>;
  trainingMonitor: TrainingMonitor;
  /** What the active model's folder records about it (read from disk at each call). */
  activeModelMetadata(): ModelMetadata | undefined;
  /** Cancels the running training (no-op if none). */
  stopTraining(): void;
  /** Real MNIST, loaded lazily and cached. */
  mnist(): Promise<{ train: DigitSet; test: DigitSet }>;
  /** Runs with a progress notification; cached per model. */
  evaluateActiveModel(): Promise<Evaluation>;
}
