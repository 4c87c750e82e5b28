// The status bar item: the active model's test accuracy; click for its summary.
import * as vscode from 'vscode';
import { describeSource, type ModelManager } from './modelManager';
import { formatPercent } from '../shared/format';

export function createModelStatusItem(models: ModelManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mnist.activeModel', vscode.StatusBarAlignment.Right, 100);
  item.name = 'MNIST Active Model';
  item.command = 'mnist.showModelSummary';
  const render = () => {
    const source = models.source();
    const metadata = models.metadata();
    const accuracy = metadata?.testAccuracy === undefined ? '' : ` ${formatPercent(metadata.testAccuracy, 1)}`;
    item.text = `$(symbol-numeric) MNIST${metadata ? accuracy : ' (no model)'}`;
    const tooltip = new vscode.MarkdownString(`**MNIST: ${describeSource(source)}**\n\n`);
    if (metadata) {
      tooltip.appendMarkdown(
        [
          metadata.testAccuracy === undefined ? undefined : `Test accuracy: ${formatPercent(metadata.testAccuracy, 2)}`,
          `Trained: ${metadata.date.slice(0, 16).replace('T', ' ')} UTC · ${metadata.epochsRun} epochs · ${metadata.trainingImages} images`,
          `Backend: ${metadata.backend} · ${Math.round(metadata.trainingSeconds)} s · TensorFlow.js ${metadata.tfjsVersion}`,
        ]
          .filter(Boolean)
          .join('\n\n'),
      );
    } else {
      tooltip.appendMarkdown(`No readable model in ${source.dir}`);
    }
    tooltip.appendMarkdown('\n\nClick for the model summary.');
    item.tooltip = tooltip;
    item.show();
  };
  render();
  const listener = models.onDidChange(render);
  return vscode.Disposable.from(item, listener);
}
