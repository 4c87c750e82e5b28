// What the install command says once native TensorFlow is in place: a reload is offered only when it changes what
// the extension host runs on (mnist.backend "tensorflow"); training runs, new processes, find it without one.
import { strict as assert } from 'node:assert';
import { nativeInstalledNotice } from '../../../src/extension/commands/nativeInstalledNotice';

describe('nativeInstalledNotice', () => {
  it('offers a reload when mnist.backend is "tensorflow", and says training uses it from the next run', () => {
    const notice = nativeInstalledNotice('tensorflow');
    assert.equal(notice.reload, true);
    assert.match(notice.message, /next training run uses it; reload the window/);
  });

  it('offers no reload under "auto", where only training moves to native, and says what keeps WebAssembly', () => {
    const notice = nativeInstalledNotice('auto');
    assert.equal(notice.reload, false);
    assert.match(
      notice.message,
      /next training run uses it.*sketchpad, Classify Digit and Evaluate Model keep WebAssembly/,
    );
  });

  it('names a forced other backend', () => {
    assert.deepEqual(nativeInstalledNotice('wasm'), {
      message: 'MNIST: native TensorFlow backend installed. mnist.backend is "wasm": set it to "tensorflow" to use it.',
      reload: false,
    });
  });
});
