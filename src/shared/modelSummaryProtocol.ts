// The model summary's messages: the active model's layers and metadata out.
import * as v from 'valibot';
import { ready } from './panelMessages';

export const ModelSummaryRequestSchema = v.variant('type', [ready]);
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
  /** "bundled", "trained" or "custom". */
  source: string;
  dir: string;
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
  { type: 'loading' } | { type: 'summary'; summary: ModelSummaryView } | { type: 'summaryError'; message: string };
