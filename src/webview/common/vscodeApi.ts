// The webview side of the host connection: typed postMessage, saved state and incoming messages.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per page. */
let api: VsCodeApi | undefined;

export interface HostConnection<Request, State> {
  post(message: Request): void;
  /** What setState saved before the panel was hidden or the window reloaded (validate before use). */
  savedState(): unknown;
  saveState(state: State): void;
}

export function connectToHost<Request, State = unknown>(): HostConnection<Request, State> {
  api ??= acquireVsCodeApi();
  const vscode = api;
  return {
    post: (message) => vscode.postMessage(message),
    savedState: () => vscode.getState(),
    saveState: (state) => vscode.setState(state),
  };
}

/** Calls `handle` for each message from the host (only objects with a string `type`). */
export function onHostMessage<Update extends { type: string }>(handle: (update: Update) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string')
      handle(data as Update);
  });
}
