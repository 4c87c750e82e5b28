// Training hyperparameters: one schema with their limits, their defaults, and the check that every entry point
// (settings, CLI flags, the training process's protocol, train()) runs. No TensorFlow here: the extension reads these.
import * as v from 'valibot';

const whole = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** Images in the MNIST training set. */
export const MNIST_TRAINING_IMAGES = 60_000;

export const TrainOptionsSchema = v.object({
  epochs: whole(1, 1000),
  batchSize: whole(1, 4096),
  learningRate: v.pipe(v.number(), v.gtValue(0), v.ltValue(1)),
  /** Fraction of the training images held out for validation (the last part, as Keras does). */
  validationSplit: v.pipe(v.number(), v.minValue(0), v.ltValue(1)),
  /** Epochs without a better val_loss before stopping; 0 turns early stopping off. */
  earlyStoppingPatience: whole(0, 100),
  /** The shuffles' and augmentation's generator keeps 32 bits of it. */
  seed: whole(0, 2 ** 32 - 1),
  augment: v.boolean(),
  /** Train on the first N training images; 0 = all. */
  trainingSubset: whole(0, MNIST_TRAINING_IMAGES),
});

export type TrainOptions = v.InferOutput<typeof TrainOptionsSchema>;
export type TrainOptionName = keyof TrainOptions;

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 5,
  batchSize: 64, // fastest at ≥99% after 5 epochs (README, Performance)
  learningRate: 1e-3,
  validationSplit: 0.1,
  earlyStoppingPatience: 2,
  seed: 42,
  augment: false,
  trainingSubset: 0,
};

/** Of `total` images, how many validationSplit holds out (the last ones, as Keras does). */
export function validationImageCount(total: number, validationSplit: number): number {
  return Math.floor(total * validationSplit);
}

/** An option's type and bounds, in the words of JSON Schema (package.json's settings use the same). */
export interface OptionLimits {
  type: 'integer' | 'number' | 'boolean';
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

const BOUNDS = {
  min_value: 'minimum',
  max_value: 'maximum',
  gt_value: 'exclusiveMinimum',
  lt_value: 'exclusiveMaximum',
} as const;

/** Read off the schema, so that the limits are written once. */
export function optionLimits(name: TrainOptionName): OptionLimits {
  const schema = TrainOptionsSchema.entries[name];
  if (!('pipe' in schema)) return { type: 'boolean' };
  const limits: OptionLimits = { type: 'number' };
  for (const item of schema.pipe) {
    if (item.type === 'integer') limits.type = 'integer';
    else if (item.kind === 'validation') limits[BOUNDS[item.type]] = item.requirement;
  }
  return limits;
}

/** "an integer in [1, 1000]", "a number in (0, 1)", "true or false". */
export function describeLimits(limits: OptionLimits): string {
  if (limits.type === 'boolean') return 'true or false';
  const low = limits.exclusiveMinimum ?? limits.minimum;
  const high = limits.exclusiveMaximum ?? limits.maximum;
  const range = `${limits.exclusiveMinimum === undefined ? '[' : '('}${low}, ${high}${limits.exclusiveMaximum === undefined ? ']' : ')'}`;
  return `${limits.type === 'integer' ? 'an integer' : 'a number'} in ${range}`;
}

export class TrainOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TrainOptionsError';
  }
}

/**
 * Checks `input` against the schema and returns the options, or throws a TrainOptionsError whose message names each
 * bad option (as `nameOf` calls it: a setting, a flag), its allowed range and the value given.
 */
export function parseTrainOptions(
  input: unknown,
  nameOf: (name: TrainOptionName) => string = (name) => name,
): TrainOptions {
  const result = v.safeParse(TrainOptionsSchema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const name = issue.path?.[0]?.key as TrainOptionName | undefined;
    if (name === undefined) return `the training options must be an object (got ${shown(issue.input)})`;
    return `${nameOf(name)} must be ${describeLimits(optionLimits(name))} (got ${shown(issue.input)})`;
  });
  throw new TrainOptionsError(problems);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
