// Loads dist/engineHost.js next to the extension bundle (external to it: see esbuild.mjs).
import type * as EngineHostModule from '../engine/engineHost';

export type EngineHost = typeof EngineHostModule;

let engine: EngineHost | undefined;

export function loadEngineHost(): EngineHost {
  engine ??= require('./engineHost.js') as EngineHost;
  return engine;
}
