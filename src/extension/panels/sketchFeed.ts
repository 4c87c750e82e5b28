// The sketchpad's latest drawing as the model sees it (784 values, 0..1), for the panels that follow it.
import * as vscode from 'vscode';

export class SketchFeed implements vscode.Disposable {
  private readonly published = new vscode.EventEmitter<Float32Array>();
  readonly onDidPublish = this.published.event;
  private last: Float32Array | undefined;

  get latest(): Float32Array | undefined {
    return this.last;
  }

  publish(pixels: Float32Array): void {
    this.last = pixels;
    this.published.fire(pixels);
  }

  dispose(): void {
    this.published.dispose();
  }
}
