// Entry point of the extension-host suites, for @vscode/test-electron (extensionTestsPath) and for the test-runner
// extension (test/vscode/runnerExtension) when MNIST_EXTENSION_TESTS names this file (how CI runs them in code-server).
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';

interface Report {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; error?: string; ms?: number }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
  require('./activation.test');
  require('./classify.test');
  require('./training.test');

  const report: Report = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.MNIST_TEST_REPORT;
      if (file) writeFileSync(file, JSON.stringify(report, null, 2));
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      report.passed++;
      report.tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration });
    });
    runner.on('fail', (test, err) => {
      report.failed++;
      report.tests.push({ title: test.fullTitle(), state: 'failed', error: String(err?.stack ?? err) });
    });
  });
}
