// A test-only extension, installed beside MNIST Digits by the e2e suite: on startup it loads the extension-host
// suites from the file MNIST_EXTENSION_TESTS names and runs them (the report goes where MNIST_TEST_REPORT says).
// The shipped extension knows nothing of tests.
import { existsSync } from 'node:fs';
import { failureReport, reportFile, writeReport } from '../report';

export function activate(): void {
  const entry = process.env.MNIST_EXTENSION_TESTS;
  if (entry) setTimeout(() => void runSuites(entry), 0); // after activation has returned
}

async function runSuites(entry: string): Promise<void> {
  try {
    await (require(entry) as { run(): Promise<void> }).run();
    console.log('MNIST extension-host tests passed');
  } catch (err) {
    console.error(`MNIST extension-host tests failed: ${err}`);
    // The suites report their own failures; a suite that did not load or start reports nothing.
    const file = reportFile();
    if (file && !existsSync(file)) writeReport(failureReport(`the suites in ${entry} load and run`, err));
  }
}

export function deactivate(): void {}
