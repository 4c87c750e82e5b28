// The compute backends' names, the one list every layer checks against. No TensorFlow.js here: the extension
// host reads it at activation (engine/backend.ts starts the backends).

/** Fastest first: the order in which 'auto' tries them. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What a user may ask for: a backend by name, or 'auto' (the fastest one that starts). */
export const BACKEND_PREFERENCES = ['auto', ...BACKENDS] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export function isBackendPreference(value: unknown): value is BackendPreference {
  return BACKEND_PREFERENCES.includes(value as BackendPreference);
}

/** What a process runs TensorFlow.js for; 'auto' picks a backend per task. */
export const BACKEND_TASKS = ['inference', 'evaluation', 'training'] as const;
export type BackendTask = (typeof BACKEND_TASKS)[number];

/**
 * For 'auto', the backends tried per task, the one measured faster here first (README, Backends; medians of four
 * `bench` runs on Node 20 and Node 24): single images (sketchpad, Classify Digit) run 3-4x sooner on wasm; batched
 * evaluation is about 2x faster on native TensorFlow, and training faster or even on it at the default batch size.
 */
export const AUTO_BACKENDS: Record<BackendTask, readonly BackendName[]> = {
  inference: ['wasm', 'tensorflow', 'cpu'],
  evaluation: ['tensorflow', 'wasm', 'cpu'],
  training: ['tensorflow', 'wasm', 'cpu'],
};

/** The backends to try, in order, for `preference`; a named backend falls back to the slower ones after it. */
export function backendsToTry(preference: BackendPreference, task: BackendTask): readonly BackendName[] {
  return preference === 'auto' ? AUTO_BACKENDS[task] : BACKENDS.slice(BACKENDS.indexOf(preference));
}
