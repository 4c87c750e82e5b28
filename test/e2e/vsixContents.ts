// What the packaged .vsix may hold: exactly the files .vscodeignore lets in, plus vsce's own manifests; never test
// code, source maps or the command line. Read from the .vsix itself (a zip: its central directory names every file).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Files that must never ship, whatever .vscodeignore says, with what they are. */
const FORBIDDEN: [RegExp, string][] = [
  [/^extension\/out\//, 'test bundles (out/)'],
  [/^extension\/test\//, 'test sources (test/)'],
  [/\.map$/, 'source maps'],
  [/^extension\/dist\/cli\.js$/, 'the command line (dist/cli.js)'],
];
/** What vsce adds around the extension's files. */
const VSCE_FILES = ['[Content_Types].xml', 'extension.vsixmanifest'];

const CENTRAL_DIRECTORY_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** Paths of the files in a zip archive, from its central directory (no zip64: a .vsix is far below 4 GB). */
export function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(CENTRAL_DIRECTORY_END);
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const names: string[] = [];
  let offset = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`${file}: damaged zip directory`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (!name.endsWith('/')) names.push(name);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
}

/**
 * The negated patterns of .vscodeignore, as expressions over the .vsix's paths (under extension/). vsce lower-cases
 * README.md and CHANGELOG.md and adds .txt to a LICENSE without one: names match regardless of case and of that .txt.
 */
function shippedPatterns(vscodeignore: string): { glob: string; pattern: RegExp }[] {
  return readFileSync(vscodeignore, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => {
      const glob = line.slice(1);
      const body = glob
        .split(/(\*\*|\*)/)
        .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      const txt = path.extname(glob) ? '' : '(\\.txt)?';
      return { glob, pattern: new RegExp(`^extension/${body}${txt}$`, 'i') };
    });
}

/** Checks the .vsix's files; returns a one-line description, or throws naming every offending or missing file. */
export function checkVsixContents(vsix: string, vscodeignore: string): string {
  const files = zipEntries(vsix);
  const shipped = shippedPatterns(vscodeignore);
  const problems: string[] = [];
  for (const [pattern, what] of FORBIDDEN) {
    const found = files.filter((f) => pattern.test(f));
    if (found.length) problems.push(`${what} must not ship: ${found.join(', ')}`);
  }
  const unexpected = files.filter((f) => !VSCE_FILES.includes(f) && !shipped.some((s) => s.pattern.test(f)));
  if (unexpected.length) problems.push(`not let in by .vscodeignore: ${unexpected.join(', ')}`);
  const missing = shipped.filter((s) => !files.some((f) => s.pattern.test(f))).map((s) => s.glob);
  if (missing.length) problems.push(`.vscodeignore lets in files the .vsix lacks: ${missing.join(', ')}`);
  if (problems.length) throw new Error(`${path.basename(vsix)}: ${problems.join('; ')}`);
  return `${files.length} files, all let in by .vscodeignore`;
}
