// The layer table that Keras' model.summary() prints.
import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface LayerRow {
  name: string;
  type: string;
  outputShape: (number | null)[];
  parameters: number;
  trainable: boolean;
}

export interface ModelSummary {
  layers: LayerRow[];
  totalParameters: number;
  trainableParameters: number;
  inputShape: (number | null)[];
}

export function summarizeModel(model: LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: layer.outputShape as (number | null)[],
    parameters: layer.countParams(),
    trainable: layer.trainable,
  }));
  const totalParameters = layers.reduce((sum, layer) => sum + layer.parameters, 0);
  return {
    layers,
    totalParameters,
    trainableParameters: layers.filter((layer) => layer.trainable).reduce((sum, layer) => sum + layer.parameters, 0),
    inputShape: model.inputs[0].shape,
  };
}

export function formatShape(shape: (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'None' : d)).join(', ')}]`;
}
