// A test-only extension, installed beside MNIST Digits by the e2e suite: on startup it loads the extension-host
// suites from the file MNIST_EXTENSION_TESTS names and runs them (the report goes where MNIST_TEST_REPORT says).
// The shipped extension knows nothing of tests.
export function activate(): void {
  const entry = process.env.MNIST_EXTENSION_TESTS;
  if (!entry) return;
  setTimeout(() => {
    Promise.resolve()
      .then(() => (require(entry) as { run(): Promise<void> }).run())
      .then(
        () => console.log('MNIST extension-host tests passed'),
        (err: unknown) => console.error(`MNIST extension-host tests failed: ${err}`),
      );
  }, 0);
}

export function deactivate(): void {}
