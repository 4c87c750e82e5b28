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
