// Training hyperparameters, their defaults and their checks (no TensorFlow here: the extension reads these at start).

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  validationSplit: number;
  /** Epochs without a better val_loss before stopping; 0 turns early stopping off. */
  earlyStoppingPatience: number;
  seed: number;
  augment: boolean;
  /** Train on the first N training images; 0 = all. */
  trainingSubset: number;
}

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

export function validateTrainOptions(options: TrainOptions): void {
  const problems: string[] = [];
  const integer = (name: keyof TrainOptions, min: number) => {
    const value = options[name] as number;
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be an integer ≥ ${min} (got ${value})`);
  };
  integer('epochs', 1);
  integer('batchSize', 1);
  integer('earlyStoppingPatience', 0);
  integer('trainingSubset', 0);
  integer('seed', 0);
  if (!(options.learningRate > 0 && options.learningRate < 1))
    problems.push(`learningRate must be in (0, 1) (got ${options.learningRate})`);
  if (!(options.validationSplit >= 0 && options.validationSplit < 1))
    problems.push(`validationSplit must be in [0, 1) (got ${options.validationSplit})`);
  if (problems.length) throw new Error(`Invalid training options: ${problems.join('; ')}`);
}
