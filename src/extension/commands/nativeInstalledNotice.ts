// What "MNIST: Install Native TensorFlow Backend" tells the user once the package is in place, per mnist.backend:
// each training run is a new process and finds it at once; the extension host keeps the backend it started with.
import type { BackendPreference } from '../../engine/backendNames';

export interface NativeInstalledNotice {
  message: string;
  /** Whether a window reload is needed for the extension host's inference to use it. */
  reload: boolean;
}

export function nativeInstalledNotice(preference: BackendPreference): NativeInstalledNotice {
  const installed = 'MNIST: native TensorFlow backend installed.';
  if (preference === 'tensorflow')
    return {
      message: `${installed} The next training run uses it; reload the window to run the sketchpad and evaluation on it too.`,
      reload: true,
    };
  if (preference === 'auto')
    return {
      message: `${installed} With mnist.backend "auto", the next training run uses it (measured faster for training); the sketchpad, Classify Digit and Evaluate Model keep WebAssembly, measured faster for them in VS Code.`,
      reload: false,
    };
  return {
    message: `${installed} mnist.backend is "${preference}": set it to "tensorflow" to use it.`,
    reload: false,
  };
}
