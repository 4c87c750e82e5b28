// Which model is active: mnist.modelPath if set, else the last trained one (if chosen), else the bundled one.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { DigitClassifier, ModelSource } from '../engine/classifier';
import { readModelMetadata, type ModelMetadata } from '../engine/model/metadata';
import { bundledModelDir } from '../engine/paths';
import { modelPathFromSettings } from './settings';
import { readMnistSetting } from './vscodeSettings';

const ACTIVE_MODEL_KEY = 'mnist.activeModel';

export class ModelManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelSource>();
  readonly onDidChange = this.changed.event;
  readonly trainedDir: string;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The classifier, if it has been created. */
    private readonly createdClassifier: () => DigitClassifier | undefined,
  ) {
    this.trainedDir = join(context.globalStorageUri.fsPath, 'models', 'trained');
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mnist.modelPath')) void this.switchTo(this.source());
      }),
    );
  }

  /** Computed fresh each time, so settings and files changed elsewhere are respected. */
  source(): ModelSource {
    const custom = modelPathFromSettings(readMnistSetting);
    if (custom) return { dir: custom, kind: 'custom' };
    if (this.context.globalState.get(ACTIVE_MODEL_KEY) === 'trained' && readModelMetadata(this.trainedDir)) {
      return { dir: this.trainedDir, kind: 'trained' };
    }
    return { dir: bundledModelDir(this.context.extensionPath), kind: 'bundled' };
  }

  metadata(): ModelMetadata | undefined {
    return readModelMetadata(this.source().dir);
  }

  async useTrained(): Promise<void> {
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'trained');
    await this.switchTo(this.source());
  }

  async useBundled(): Promise<void> {
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'bundled');
    await this.switchTo(this.source());
  }

  private async switchTo(source: ModelSource): Promise<void> {
    const classifier = this.createdClassifier();
    // A classifier that has not loaded a model yet picks the new source up on first use.
    if (classifier) await classifier.useModel(source).catch(() => undefined);
    this.changed.fire(source);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

export function describeSource(source: ModelSource): string {
  return {
    bundled: 'bundled model',
    trained: 'your trained model',
    custom: `model from mnist.modelPath (${source.dir})`,
  }[source.kind];
}
