// Settings (mnist.*) → engine options. Reads through a getter so that it is testable without VS Code. A setting of
// the wrong type is reported through `warn` (naming it) and its default is used.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isBackendPreference, type BackendPreference } from '../engine/backendNames';
import { DEFAULT_SERVE_OPTIONS } from '../engine/serve/serveOptions';
import { ARCHITECTURE_CHOICES, isArchitectureChoice, type ArchitectureChoice } from '../engine/model/architectureNames';
import { DEFAULT_RUNS_KEEP, MAX_LISTED_RUNS, RunsKeepSchema } from '../engine/runs/runStore';
import * as v from 'valibot';
import {
  DEFAULT_TRAIN_OPTIONS,
  parseTrainOptions,
  type TrainOptionName,
  type TrainOptions,
} from '../engine/training/trainOptions';

/** The value a mnist.* setting holds (`key` without the "mnist." prefix): anything a settings.json may hold. */
export type SettingReader = (key: string) => unknown;
/** Told about a setting that cannot be used, with the full setting id; the default is used instead. */
export type SettingWarning = (setting: string, problem: string) => void;

const ignore: SettingWarning = () => undefined;

/** Every training option is a mnist.training.* setting of the same name, except the seed (runs stay reproducible). */
export const TRAINING_SETTINGS = (Object.keys(DEFAULT_TRAIN_OPTIONS) as TrainOptionName[]).filter(
  (name) => name !== 'seed',
);

export const trainingSettingId = (name: TrainOptionName): string => `mnist.training.${name}`;

/** The training options the settings ask for; throws a TrainOptionsError naming each setting that is unusable. */
export function trainOptionsFromSettings(read: SettingReader): TrainOptions {
  const options: Record<string, unknown> = { ...DEFAULT_TRAIN_OPTIONS };
  for (const name of TRAINING_SETTINGS) options[name] = read(`training.${name}`) ?? DEFAULT_TRAIN_OPTIONS[name];
  return parseTrainOptions(options, trainingSettingId);
}

export function backendFromSettings(read: SettingReader, warn = ignore): BackendPreference {
  const value = read('backend');
  if (value === undefined || isBackendPreference(value)) return value ?? 'auto';
  warn('mnist.backend', `must be one of "auto", "tensorflow", "wasm", "cpu" (got ${JSON.stringify(value)})`);
  return 'auto';
}

export const MAX_PORT = 65535;

/** The port mnist.server.port names (0: any free port). */
export function serverPortFromSettings(read: SettingReader, warn = ignore): number {
  const value = read('server.port');
  if (value === undefined) return DEFAULT_SERVE_OPTIONS.port;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_PORT) return value;
  warn('mnist.server.port', `must be a whole number from 0 to ${MAX_PORT} (got ${JSON.stringify(value)})`);
  return DEFAULT_SERVE_OPTIONS.port;
}

export const ARCHITECTURE_SETTING = 'training.architecture';
export const RUNS_KEEP_SETTING = 'runs.keep';

/** mnist.training.architecture: what Train Model offers first. */
export function architectureFromSettings(read: SettingReader, warn = ignore): ArchitectureChoice {
  const value = read(ARCHITECTURE_SETTING);
  if (value === undefined || isArchitectureChoice(value)) return value ?? 'seed';
  warn(
    `mnist.${ARCHITECTURE_SETTING}`,
    `must be one of ${ARCHITECTURE_CHOICES.map((name) => `"${name}"`).join(', ')} (got ${JSON.stringify(value)})`,
  );
  return 'seed';
}

/** mnist.runs.keep: how many training runs to keep. */
export function runsKeepFromSettings(read: SettingReader, warn = ignore): number {
  const value = read(RUNS_KEEP_SETTING);
  if (value === undefined) return DEFAULT_RUNS_KEEP;
  if (v.is(RunsKeepSchema, value)) return value;
  warn(
    `mnist.${RUNS_KEEP_SETTING}`,
    `must be a whole number from 1 to ${MAX_LISTED_RUNS} (got ${JSON.stringify(value)})`,
  );
  return DEFAULT_RUNS_KEEP;
}

/** The mnist.modelPath setting as written (trimmed), or undefined when it is empty or not a string. */
export function modelPathFromSettings(read: SettingReader, warn = ignore): string | undefined {
  const value = read('modelPath');
  if (value !== undefined && typeof value !== 'string') {
    warn('mnist.modelPath', `must be a path, a string (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value?.trim() || undefined;
}

export interface PathContext {
  /** The first workspace folder, if one is open. */
  workspaceFolder?: string;
  home?: string;
}

/**
 * The model folder or Keras file a mnist.modelPath value names: `~` is the home folder, `${workspaceFolder}` the first
 * workspace folder, and a relative path is relative to that folder. A problem (naming the setting) when it cannot be
 * resolved.
 */
export function resolveModelPath(value: string, context: PathContext): { path: string } | { problem: string } {
  const home = context.home ?? homedir();
  const folder = context.workspaceFolder;
  if (value.includes('${workspaceFolder}') && !folder) {
    return { problem: `mnist.modelPath uses \${workspaceFolder} (${value}), but no folder is open` };
  }
  let path = value.replaceAll('${workspaceFolder}', folder ?? '');
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) path = join(home, path.slice(1));
  if (isAbsolute(path)) return { path: resolve(path) };
  if (!folder) return { problem: `mnist.modelPath is a relative path (${value}), but no folder is open` };
  return { path: resolve(folder, path) };
}
