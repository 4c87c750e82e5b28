// The webview side of the host connection: typed postMessage, saved state and incoming messages.

/** What acquireVsCodeApi gives a webview (and the web page's stand-in for it: sketchpad/serverConnection.ts). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per page. */
let api: VsCodeApi | undefined;

export interface HostConnection<Request, State> {
  post(message: Request): void;
  /**
   * What saveState stored before the panel was hidden or the window reloaded; undefined when there is none or
   * it is not a valid State (e.g. saved by an older version), so the page starts fresh.
   */
  savedState(): State | undefined;
  saveState(state: State): void;
}

/** `isState` tells a valid saved state; pages that keep none leave it out. */
export function connectToHost<Request, State = never>(
  isState: (value: unknown) => value is State = (_value): _value is State => false,
): HostConnection<Request, State> {
  api ??= acquireVsCodeApi();
  const webview = api;
  return {
    post: (message) => webview.postMessage(message),
    savedState: () => validState(webview.getState(), isState),
    saveState: (state) => webview.setState(state),
  };
}

/** `saved` when `isState` accepts it, else undefined. */
export function validState<State>(saved: unknown, isState: (value: unknown) => value is State): State | undefined {
  return isState(saved) ? saved : undefined;
}

/** Calls `handle` for each message from the host (only objects with a string `type`). */
export function onHostMessage<Update extends { type: string }>(handle: (update: Update) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string')
      handle(data as Update);
  });
}
