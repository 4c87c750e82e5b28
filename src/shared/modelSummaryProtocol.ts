// The model summary's messages: a model's layers and metadata out — the active model's (the Model Summary panel) or a
// model file's (the Keras model editor, which also offers to make it the active model or to evaluate it).
import * as v from 'valibot';
import { ready } from './panelMessages';

export const ModelSummaryRequestSchema = v.variant('type', [
  ready,
  v.strictObject({ type: v.literal('useAsActiveModel') }),
  v.strictObject({ type: v.literal('evaluate') }),
]);
export type ModelSummaryRequest = v.InferOutput<typeof ModelSummaryRequestSchema>;

export interface LayerView {
  name: string;
  type: string;
  /** e.g. "[None, 26, 26, 32]". */
  outputShape: string;
  parameters: number;
  trainable: boolean;
}

export interface ModelInfoView {
  /** "bundled", "trained", "custom", "opened" (the active model's kind), or "file" (the Keras model editor's). */
  source: string;
  /** The model's folder or Keras file. */
  path: string;
  architecture?: string;
  testAccuracy?: number;
  /** ISO 8601. */
  date?: string;
  epochs?: number;
  backend?: string;
  trainingSeconds?: number;
  /** Images trained on, and images held out for validation. */
  trainingImages?: number;
  validationImages?: number;
  tfjsVersion?: string;
}

export interface ModelSummaryView {
  inputShape: string;
  layers: LayerView[];
  totalParameters: number;
  trainableParameters: number;
  model: ModelInfoView;
}

export type ModelSummaryUpdate =
  | { type: 'loading' }
  /** `modelFile`: the summary is of a model file, not the active model; the page offers its buttons. */
  | { type: 'summary'; summary: ModelSummaryView; modelFile?: boolean }
  | { type: 'summaryError'; message: string };
