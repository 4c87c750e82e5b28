// Entry point of the extension-host suites, for @vscode/test-electron (extensionTestsPath) and for the test-runner
// extension (test/vscode/runnerExtension) when MNIST_EXTENSION_TESTS names this file (how CI runs them in code-server).
import Mocha from 'mocha';
import { writeReport, type Report } from '../report';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
  require('./hostileSettings.test'); // first: its settings must be in place before the extension activates
  require('./activation.test');
  require('./classify.test');
  require('./predictionServer.test');
  require('./training.test');
  require('./kerasModels.test');

  const report: Report = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeReport(report);
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
