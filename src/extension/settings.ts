// Settings (mnist.*) → engine options. Reads through a getter so that it is testable without VS Code.
import { isBackendPreference, type BackendPreference } from '../engine/backendNames';
import {
  DEFAULT_TRAIN_OPTIONS,
  parseTrainOptions,
  type TrainOptionName,
  type TrainOptions,
} from '../engine/training/trainOptions';

export type SettingReader = <T>(key: string) => T | undefined;

/** Every training option is a mnist.training.* setting of the same name, except the seed (runs stay reproducible). */
export const TRAINING_SETTINGS = (Object.keys(DEFAULT_TRAIN_OPTIONS) as TrainOptionName[]).filter(
  (name) => name !== 'seed',
);

export const trainingSettingId = (name: TrainOptionName): string => `mnist.training.${name}`;

/** The training options the settings ask for; throws a TrainOptionsError naming each setting out of range. */
export function trainOptionsFromSettings(read: SettingReader): TrainOptions {
  const options: Record<string, unknown> = { ...DEFAULT_TRAIN_OPTIONS };
  for (const name of TRAINING_SETTINGS) options[name] = read(`training.${name}`) ?? DEFAULT_TRAIN_OPTIONS[name];
  return parseTrainOptions(options, trainingSettingId);
}

export function backendFromSettings(read: SettingReader): BackendPreference {
  const value = read<string>('backend');
  return isBackendPreference(value) ? value : 'auto';
}

export function modelPathFromSettings(read: SettingReader): string | undefined {
  const value = read<string>('modelPath')?.trim();
  return value ? value : undefined;
}
