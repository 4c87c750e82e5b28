// The mnist.* settings as VS Code holds them, read through the one reader the pure functions of settings.ts take, and
// the warning about a setting that cannot be used (shown once per setting and problem).
import * as vscode from 'vscode';
import type { SettingReader, SettingWarning } from './settings';

export const readMnistSetting: SettingReader = (key) => vscode.workspace.getConfiguration('mnist').get(key);

const warned = new Set<string>();

export const warnSetting: SettingWarning = (setting, problem) => {
  const key = `${setting}: ${problem}`;
  if (warned.has(key)) return;
  warned.add(key);
  void vscode.window
    .showWarningMessage(`MNIST: the setting ${setting} ${problem}; the default is used.`, 'Open Settings')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
    });
};
