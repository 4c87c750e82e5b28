// Messages between the extension host and the training process, validated on receipt by both sides.
import * as v from 'valibot';
import { validMessage } from '../../shared/messageValidation';
import { BACKEND_PREFERENCES, BACKENDS } from '../backendNames';
import { count, EpochResultSchema, finite } from './epochResult';
import { TrainOptionsSchema } from './trainOptions';
import { ArchitectureSpecSchema } from '../model/architectureNames';

const backendName = v.picklist(BACKENDS);

/** Where the trained model goes: a new run folder in a runs folder, or a model folder (replaced atomically). */
export const DestinationSchema = v.union([v.object({ runsDir: v.string() }), v.object({ modelDir: v.string() })]);
export type Destination = v.InferOutput<typeof DestinationSchema>;

export const TrainerRequestSchema = v.variant('type', [
  v.object({
    type: v.literal('start'),
    options: TrainOptionsSchema,
    architecture: ArchitectureSpecSchema,
    backend: v.picklist(BACKEND_PREFERENCES),
    nativeSearchPaths: v.array(v.string()),
    dataDir: v.string(),
    /** Where the finished model is saved (atomically). */
    destination: DestinationSchema,
  }),
  v.object({ type: v.literal('cancel') }),
]);

export const TrainerEventSchema = v.variant('type', [
  v.object({ type: v.literal('backend'), name: backendName, reason: v.string(), warning: v.optional(v.string()) }),
  v.object({
    type: v.literal('batch'),
    epoch: count,
    epochs: count,
    batch: count,
    batches: count,
    loss: finite,
    accuracy: finite,
    imagesPerSecond: finite,
  }),
  v.object({ type: v.literal('epoch'), result: EpochResultSchema }),
  v.object({ type: v.literal('evaluating'), done: count, total: count }),
  v.object({
    type: v.literal('done'),
    modelDir: v.string(),
    /** The kept run's id, when the model was saved as a run. */
    runId: v.optional(v.string()),
    testAccuracy: finite,
    testLoss: finite,
    epochsRun: count,
    bestEpoch: count,
    stoppedEarly: v.boolean(),
    seconds: finite,
    /** Worker threads that trained (data-parallel), or 1. */
    workers: v.pipe(count, v.minValue(1)),
  }),
  v.object({ type: v.literal('cancelled') }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);

export type TrainerRequest = v.InferOutput<typeof TrainerRequestSchema>;
export type TrainerEvent = v.InferOutput<typeof TrainerEventSchema>;

export function parseTrainerRequest(message: unknown): TrainerRequest | undefined {
  return validMessage(TrainerRequestSchema, message);
}

export function parseTrainerEvent(message: unknown): TrainerEvent | undefined {
  return validMessage(TrainerEventSchema, message);
}
