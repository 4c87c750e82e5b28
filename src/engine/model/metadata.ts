// What is recorded about a trained model, and reading it without loading TensorFlow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochResult } from '../training/train';
import type { BatchLossPoint } from '../../shared/trainingChartProtocol';
import { validationImageCount, type TrainOptions } from '../training/trainOptions';

export const MODEL_FILE = 'model.json';
export const METADATA_FILE = 'metadata.json';

export interface ModelMetadata {
  architecture: string;
  epochsRun: number;
  testAccuracy?: number;
  testLoss?: number;
  backend: string;
  trainingSeconds: number;
  /** Images trained on (the validation images not included). */
  trainingImages: number;
  /** Images held out to measure val_loss. */
  validationImages?: number;
  /** ISO 8601. */
  date: string;
  tfjsVersion: string;
  options?: Partial<TrainOptions>;
  history?: EpochResult[];
  /** The training loss batch by batch (at most MAX_SAVED_BATCH_POINTS), for the training chart. */
  batchLoss?: BatchLossPoint[];
}

/** The metadata embedded in model.json, or undefined when the folder holds no readable model. */
export function readModelMetadata(dir: string): ModelMetadata | undefined {
  try {
    return metadataOf(JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

/** The metadata in a parsed model.json (userDefinedMetadata.mnist), if any. */
export function metadataOf(modelJson: unknown): ModelMetadata | undefined {
  const metadata = (modelJson as { userDefinedMetadata?: { mnist?: unknown } } | null)?.userDefinedMetadata?.mnist;
  return metadata && typeof metadata === 'object' ? withValidationImages(metadata as ModelMetadata) : undefined;
}

/** Models saved before validationImages was recorded counted the validation images in trainingImages. */
function withValidationImages(metadata: ModelMetadata): ModelMetadata {
  const split = metadata.options?.validationSplit;
  if (metadata.validationImages !== undefined || typeof split !== 'number') return metadata;
  const validationImages = validationImageCount(metadata.trainingImages, split);
  return { ...metadata, trainingImages: metadata.trainingImages - validationImages, validationImages };
}
