// What is recorded about a trained model, and reading it without loading TensorFlow. The record comes from a file
// anyone may have written: it is checked against a schema (unknown fields ignored, wrong-typed optional fields
// dropped, a record without its core fields treated as absent) and read through the bounded model-file reader.
import * as v from 'valibot';
import { count, EpochResultSchema, finite, type EpochResult } from '../training/epochResult';
import type { BatchLossPoint } from '../../shared/trainingChartProtocol';
import { validationImageCount, type TrainOptions } from '../training/trainOptions';
import { isKerasFile, MODEL_LIMITS, readModelFile } from './modelFiles';

export const MODEL_FILE = 'model.json';
export const METADATA_FILE = 'metadata.json';

export interface ModelMetadata {
  /** The layers, in words (e.g. ARCHITECTURE_LAYOUTS in model/architecture.ts). */
  architecture: string;
  /** The architecture chosen for the run (ARCHITECTURE_CHOICES); absent in models saved before there was a choice. */
  architectureName?: string;
  /** The model a run of the active model's architecture started from (its folder or file). */
  startedFrom?: string;
  /** Weights in the model, trainable or not. */
  parameters?: number;
  epochsRun: number;
  testAccuracy?: number;
  testLoss?: number;
  backend: string;
  trainingSeconds: number;
  /** Images trained on (the validation images not included). */
  trainingImages: number;
  /** Images held out to measure val_loss. */
  validationImages?: number;
  /** ISO 8601 (always written; records from elsewhere may lack it). */
  date?: string;
  tfjsVersion?: string;
  options?: Partial<TrainOptions>;
  history?: EpochResult[];
  /** The training loss batch by batch (at most MAX_SAVED_BATCH_POINTS), for the training chart. */
  batchLoss?: BatchLossPoint[];
}

/** What a run's metadata says of the model it trained. */
export type ArchitectureRecord = Pick<ModelMetadata, 'architecture' | 'architectureName' | 'startedFrom'>;

/** An optional field: a value of the wrong type is dropped, not a reason to refuse the record. */
const optional = <T extends v.GenericSchema>(schema: T) => v.fallback(v.optional(schema), undefined);

const MetadataSchema = v.object({
  architecture: v.string(),
  architectureName: optional(v.string()),
  startedFrom: optional(v.string()),
  parameters: optional(count),
  epochsRun: count,
  backend: v.string(),
  trainingSeconds: finite,
  trainingImages: count,
  testAccuracy: optional(finite),
  testLoss: optional(finite),
  validationImages: optional(count),
  date: optional(v.string()),
  tfjsVersion: optional(v.string()),
  options: optional(
    v.object({
      epochs: optional(count),
      batchSize: optional(count),
      learningRate: optional(finite),
      validationSplit: optional(finite),
      earlyStoppingPatience: optional(count),
      seed: optional(count),
      augment: optional(v.boolean()),
      trainingSubset: optional(count),
    }),
  ),
  history: optional(v.array(EpochResultSchema)),
  batchLoss: optional(v.array(v.object({ x: finite, loss: finite }))),
});

/** The record in a parsed model.json (userDefinedMetadata.mnist), or why there is none that can be used. */
export function checkMetadata(modelJson: unknown): { metadata: ModelMetadata } | { problem: string } {
  const user = isRecord(modelJson) ? modelJson.userDefinedMetadata : undefined;
  const record = isRecord(user) ? user.mnist : undefined;
  if (record === undefined) return { problem: 'the model records no training metadata' };
  const parsed = v.safeParse(MetadataSchema, record);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const field = v.getDotPath(issue) ?? 'the record';
    return { problem: `its training metadata is not usable (${field}: ${issue.message})` };
  }
  const { options, ...fields } = parsed.output;
  const metadata = withoutUndefined({ ...fields, options: options && withoutUndefined(options) });
  return { metadata: withValidationImages(metadata as ModelMetadata) };
}

/** The metadata in a parsed model.json (userDefinedMetadata.mnist), if any can be used. */
export function metadataOf(modelJson: unknown): ModelMetadata | undefined {
  const checked = checkMetadata(modelJson);
  return 'metadata' in checked ? checked.metadata : undefined;
}

/**
 * The metadata embedded in a folder's model.json; undefined when the folder holds no readable model, and for a Keras
 * file (which records no training).
 */
export async function readModelMetadata(path: string): Promise<ModelMetadata | undefined> {
  if (isKerasFile(path)) return undefined;
  try {
    const bytes = await readModelFile(path, MODEL_FILE, MODEL_LIMITS.modelJsonBytes);
    return metadataOf(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dropped fields leave no `undefined` keys behind (records compare and serialize as written). */
function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** Models saved before validationImages was recorded counted the validation images in trainingImages. */
function withValidationImages(metadata: ModelMetadata): ModelMetadata {
  const split = metadata.options?.validationSplit;
  if (metadata.validationImages !== undefined || typeof split !== 'number') return metadata;
  const validationImages = validationImageCount(metadata.trainingImages, split);
  if (validationImages > metadata.trainingImages) return metadata;
  return { ...metadata, trainingImages: metadata.trainingImages - validationImages, validationImages };
}
