// Model summary → the metadata list and the architecture diagram's blocks. No DOM.
import { formatCount, formatDate, formatDuration, formatPercent } from '../../shared/format';
import type { ModelInfoView, ModelSummaryView } from '../../shared/modelSummaryProtocol';

export function metadataRows(model: ModelInfoView): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Source', model.source],
    ['Path', model.path],
    ['Architecture', model.architecture],
    ['Test accuracy', model.testAccuracy === undefined ? undefined : formatPercent(model.testAccuracy, 2)],
    ['Trained', model.date === undefined ? undefined : formatDate(model.date)],
    ['Epochs', model.epochs === undefined ? undefined : String(model.epochs)],
    ['Training images', model.trainingImages === undefined ? undefined : formatCount(model.trainingImages)],
    ['Validation images', model.validationImages === undefined ? undefined : formatCount(model.validationImages)],
    ['Backend', model.backend],
    ['Training time', model.trainingSeconds === undefined ? undefined : formatDuration(model.trainingSeconds)],
    ['TensorFlow.js', model.tfjsVersion],
  ];
  return rows.map(([name, value]) => [name, value ?? '—']);
}

export interface ArchitectureBlock {
  title: string;
  detail: string;
  shape: string;
  /** Blocks with weights are drawn emphasised. */
  hasWeights: boolean;
}

export function architectureBlocks(summary: ModelSummaryView): ArchitectureBlock[] {
  return [
    { title: 'Input', detail: '28x28 grey image', shape: summary.inputShape, hasWeights: false },
    ...summary.layers.map((layer) => ({
      title: layer.type,
      detail: layer.parameters ? `${layer.name} · ${formatCount(layer.parameters)} parameters` : layer.name,
      shape: layer.outputShape,
      hasWeights: layer.parameters > 0,
    })),
  ];
}
