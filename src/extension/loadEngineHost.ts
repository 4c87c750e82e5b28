// Loads dist/engineHost.js next to the extension bundle (external to it: see esbuild.mjs).
export type EngineHost = typeof import('./engineHost');

let engine: EngineHost | undefined;

export function loadEngineHost(): EngineHost {
  engine ??= require('./engineHost.js') as EngineHost;
  return engine;
}
