// Reading an image file, the one way the CLI and Classify Digit do it: what is at the path is checked first, and the
// read is bounded. (No decoder here: the extension reads files before the engine bundle is loaded.)
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { errorMessage } from '../../shared/errors';
import { checkByteSize, ImageInputError } from './imageInput';

/**
 * Reads the image file at `path` whole; a folder, a missing file, anything but a plain file, or a file over the size
 * limit is refused (an ImageInputError naming the file) before a byte is read. The file is opened once (without
 * waiting on a named pipe) and read at most to its size plus one byte, so a file that grows is refused, not read on.
 */
export async function readImageFile(path: string): Promise<Uint8Array> {
  const file = basename(path);
  try {
    checkPlainFile(await stat(path), file);
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const { size } = checkPlainFile(await handle.stat(), file);
      // One byte more than the file holds, to see it grow.
      const buffer = new Uint8Array(size + 1);
      let length = 0;
      for (let read = -1; read !== 0 && length < buffer.length; length += read) {
        ({ bytesRead: read } = await handle.read(buffer, length, buffer.length - length, length));
      }
      if (length > size) throw new ImageInputError(file, 'changed while it was being read');
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    throw new ImageInputError(file, readProblem(err));
  }
}

function checkPlainFile<S extends { isDirectory(): boolean; isFile(): boolean; size: number }>(
  stats: S,
  file: string,
): S {
  if (stats.isDirectory()) throw new ImageInputError(file, 'is a folder, not an image file');
  if (!stats.isFile()) throw new ImageInputError(file, 'is not a plain file');
  checkByteSize(stats.size, file);
  return stats;
}

function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'ELOOP') return 'is a loop of symbolic links';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read: ${errorMessage(err)}`;
}
