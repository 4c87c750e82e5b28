// The active model as the panels show it. No vscode import (unit-tested).
import { basename } from 'node:path';
import type { ActiveModel, ModelSource } from '../../engine/classifier';
import { formatShape, type ModelSummary } from '../../engine/model/summary';
import type { ModelInfoView, ModelSummaryView } from '../../shared/modelSummaryProtocol';
import { formatPercent } from '../../shared/format';

type ModelDescription = Pick<ActiveModel, 'metadata' | 'source'>;

/** "Model: bundled · 99.2%", "Model: mnist_model.keras" (the accuracy only when the metadata has it). */
export function modelLabel({ source, metadata }: ModelDescription): string {
  const accuracy = metadata?.testAccuracy;
  return `Model: ${sourceName(source)}${accuracy === undefined ? '' : ` · ${formatPercent(accuracy, 1)}`}`;
}

/** The source's kind; for a model opened with Open Model, its file or folder name. */
export function sourceName(source: ModelSource): string {
  return source.kind === 'opened' ? basename(source.path) : source.kind;
}

export function modelInfoView({ source, metadata }: ModelDescription): ModelInfoView {
  return {
    source: source.kind,
    path: source.path,
    architecture: metadata?.architecture,
    testAccuracy: metadata?.testAccuracy,
    date: metadata?.date,
    epochs: metadata?.epochsRun,
    backend: metadata?.backend,
    trainingSeconds: metadata?.trainingSeconds,
    trainingImages: metadata?.trainingImages,
    validationImages: metadata?.validationImages,
    tfjsVersion: metadata?.tfjsVersion,
  };
}

export function summaryView(summary: ModelSummary, model: ModelDescription): ModelSummaryView {
  return {
    inputShape: formatShape(summary.inputShape),
    layers: summary.layers.map((layer) => ({ ...layer, outputShape: formatShape(layer.outputShape) })),
    totalParameters: summary.totalParameters,
    trainableParameters: summary.trainableParameters,
    model: modelInfoView(model),
  };
}
