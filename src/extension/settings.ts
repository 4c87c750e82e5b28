// Settings (mnist.*) → engine options. Reads through a getter so that it is testable without VS Code.
import { isBackendPreference, type BackendPreference } from '../engine/backendNames';
import { DEFAULT_TRAIN_OPTIONS, validateTrainOptions, type TrainOptions } from '../engine/training/trainOptions';

export type SettingReader = <T>(key: string) => T | undefined;

export function trainOptionsFromSettings(read: SettingReader): TrainOptions {
  const pick = <K extends keyof TrainOptions>(key: K, setting: string): TrainOptions[K] =>
    read<TrainOptions[K]>(`training.${setting}`) ?? DEFAULT_TRAIN_OPTIONS[key];
  const options: TrainOptions = {
    epochs: pick('epochs', 'epochs'),
    batchSize: pick('batchSize', 'batchSize'),
    learningRate: pick('learningRate', 'learningRate'),
    validationSplit: pick('validationSplit', 'validationSplit'),
    earlyStoppingPatience: pick('earlyStoppingPatience', 'earlyStoppingPatience'),
    augment: pick('augment', 'augment'),
    trainingSubset: pick('trainingSubset', 'trainingSubset'),
    seed: DEFAULT_TRAIN_OPTIONS.seed,
  };
  validateTrainOptions(options);
  return options;
}

export function backendFromSettings(read: SettingReader): BackendPreference {
  const value = read<string>('backend');
  return isBackendPreference(value) ? value : 'auto';
}

export function modelPathFromSettings(read: SettingReader): string | undefined {
  const value = read<string>('modelPath')?.trim();
  return value ? value : undefined;
}
