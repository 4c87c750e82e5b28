// What is recorded about a trained model, and reading it without loading TensorFlow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochResult } from '../training/train';
import type { TrainOptions } from '../training/trainOptions';

export const MODEL_FILE = 'model.json';
export const METADATA_FILE = 'metadata.json';

export interface ModelMetadata {
  architecture: string;
  epochsRun: number;
  testAccuracy?: number;
  testLoss?: number;
  backend: string;
  trainingSeconds: number;
  trainingImages: number;
  /** ISO 8601. */
  date: string;
  tfjsVersion: string;
  options?: Partial<TrainOptions>;
  history?: EpochResult[];
  /** Training loss per batch, thinned to at most 500 points; x = fractional epoch. */
  batchLoss?: { x: number; loss: number }[];
}

/** The metadata embedded in model.json, or undefined when the folder holds no readable model. */
export function readModelMetadata(dir: string): ModelMetadata | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8'));
    const metadata = json?.userDefinedMetadata?.mnist;
    return metadata && typeof metadata === 'object' ? (metadata as ModelMetadata) : undefined;
  } catch {
    return undefined;
  }
}
