import { FathomError, toError } from '../../util/fathom-error.js';

/**
 * A file system error while reading a data file, as an error naming the file. Node's own
 * message (`ENOENT: no such file or directory, stat '…'`) reached users as an internal error.
 */
export function fileReadError(path: string, thrown: unknown): FathomError {
  const err = toError(thrown);
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'it no longer exists (deleted or moved while Fathom was reading the folder)'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : err.message;
  return new FathomError('bad_input', `Cannot read ${path}: ${why}`, {
    hint:
      code === 'EACCES' || code === 'EPERM'
        ? 'Give Fathom read access to it, or move it out of the source.'
        : 'Check the file, then run the command again.',
    cause: err,
  });
}
