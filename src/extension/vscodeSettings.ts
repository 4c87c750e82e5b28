// The mnist.* settings as VS Code holds them, read through the one reader the pure functions of settings.ts take.
import * as vscode from 'vscode';
import type { SettingReader } from './settings';

export const readMnistSetting: SettingReader = (key) => vscode.workspace.getConfiguration('mnist').get(key);
