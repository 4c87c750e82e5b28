// The status bar item: the active model's test accuracy (a Keras file's name); click for its summary. What the model's
// file records is shown as its claim, in plain text (never rendered as Markdown).
import * as vscode from 'vscode';
import { describeSource, type ModelManager } from './modelManager';
import type { ModelSource } from '../engine/classifier';
import type { ModelMetadata } from '../engine/model/metadata';
import { isKerasFile } from '../engine/model/modelFiles';
import { formatPercent } from '../shared/format';
import { basename } from 'node:path';

export function createModelStatusItem(models: ModelManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mnist.activeModel', vscode.StatusBarAlignment.Right, 100);
  item.name = 'MNIST Active Model';
  item.command = 'mnist.showModelSummary';
  let renders = 0;
  const render = async () => {
    const current = ++renders;
    const source = models.source();
    const metadata = await models.metadata();
    if (current !== renders) return; // a newer render is under way
    item.text = `$(symbol-numeric) MNIST${statusDetail(source, metadata)}`;
    item.tooltip = modelTooltip(source, metadata);
    item.show();
  };
  void render();
  const listener = models.onDidChange(() => void render());
  return vscode.Disposable.from(item, listener);
}

/** " 99.2%" (the recorded accuracy), " mnist_model.keras" (a Keras file records none), " (no model)". */
function statusDetail(source: ModelSource, metadata: ModelMetadata | undefined): string {
  if (metadata) return metadata.testAccuracy === undefined ? '' : ` ${formatPercent(metadata.testAccuracy, 1)}`;
  return isKerasFile(source.path) ? ` ${basename(source.path)}` : ' (no model)';
}

/** Plain text: a model's file may say anything, and none of it may become a link or markup. */
export function modelTooltip(source: ModelSource, metadata: ModelMetadata | undefined): string {
  const lines = [`MNIST: ${describeSource(source)}`];
  if (metadata) {
    const date = metadata.date ? `${metadata.date.slice(0, 16).replace('T', ' ')} UTC · ` : '';
    lines.push(
      ...(metadata.testAccuracy === undefined
        ? []
        : [`Test accuracy (recorded in the model): ${formatPercent(metadata.testAccuracy, 2)}`]),
      `Trained (as recorded): ${date}${metadata.epochsRun} epochs · ${metadata.trainingImages} images`,
      `Backend: ${metadata.backend} · ${Math.round(metadata.trainingSeconds)} s${metadata.tfjsVersion ? ` · TensorFlow.js ${metadata.tfjsVersion}` : ''}`,
    );
  } else {
    lines.push(
      isKerasFile(source.path) ? 'A Keras model file (it records no training)' : `No readable model in ${source.path}`,
    );
  }
  lines.push('Click for the model summary.');
  return lines.join('\n');
}
