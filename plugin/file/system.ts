// Finding, checking and opening the file. Names under a `root` come from users: traversal,
// encoded separators, NUL, absolute paths and symlinks that leave the root are refused, and
// dotfiles (named, or reached through a symlink) unless allowed. Failures become errors whose messages never hold the path.
import fs from 'node:fs'
import path from 'node:path'
import { FST_RESPONSES_FILE_FORBIDDEN, FST_RESPONSES_FILE_NOT_FOUND, FST_RESPONSES_FILE_UNREADABLE } from '../errors.js'
import type { FileStats } from '../http/etag.js'

export type Dotfiles = 'allow' | 'deny' | 'ignore'

/** System errors become file errors; the package's own errors pass through. */
function rethrowAsFileError (err: unknown): never {
  throw (err as NodeJS.ErrnoException).errno === undefined ? err : toFileError(err as NodeJS.ErrnoException)
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EISDIR'])
const FORBIDDEN_CODES = new Set(['EACCES', 'EPERM'])

/** A file-system error as a client may see it: 404, 403, else a 500 with the cause kept for logs. */
export function toFileError (err: NodeJS.ErrnoException): Error {
  if (NOT_FOUND_CODES.has(err.code as string)) return new FST_RESPONSES_FILE_NOT_FOUND({ cause: err })
  if (FORBIDDEN_CODES.has(err.code as string)) return new FST_RESPONSES_FILE_FORBIDDEN({ cause: err })
  return new FST_RESPONSES_FILE_UNREADABLE({ cause: err })
}

// Separators a name must not smuggle: a backslash (Windows), percent-encoded `/` or `\`, NUL.
const SMUGGLED = /[\\\0]|%2f|%5c/i

/** The root's real path with a trailing separator (`/` stays `/`), resolved on every request: a root may be a symlink that moves. */
async function realRoot (root: string): Promise<string> {
  const real = await fs.promises.realpath(root)
  return real.endsWith(path.sep) ? real : real + path.sep
}

function checkDotfiles (segments: string[], dotfiles: Dotfiles): void {
  if (dotfiles !== 'allow' && segments.some((segment) => segment.startsWith('.') && segment !== '.')) {
    throw dotfiles === 'deny' ? new FST_RESPONSES_FILE_FORBIDDEN() : new FST_RESPONSES_FILE_NOT_FOUND()
  }
}

/** The real path of `name` under `root`, or a 403/404 error. */
export async function resolveUnderRoot (root: string, name: string, dotfiles: Dotfiles): Promise<string> {
  if (SMUGGLED.test(name) || path.isAbsolute(name)) throw new FST_RESPONSES_FILE_FORBIDDEN()
  const segments = name.split('/')
  if (segments.includes('..')) throw new FST_RESPONSES_FILE_FORBIDDEN()
  // Checked on the name first, so a dotfile is refused without touching the disk.
  checkDotfiles(segments, dotfiles)
  try {
    // Both at once: the file's real path does not depend on the root's being known first.
    const [base, real] = await Promise.all([realRoot(root), fs.promises.realpath(path.join(root, name))])
    if (!real.startsWith(base)) throw new FST_RESPONSES_FILE_FORBIDDEN()
    // And on where it leads: a symlink inside the root may point at `.env` or into `.git/`.
    checkDotfiles(real.slice(base.length).split(path.sep), dotfiles)
    return real
  } catch (err) {
    return rethrowAsFileError(err)
  }
}

/** A path with NUL names no file (and fs would throw with the path in the message). */
export function checkPath (filePath: string): string {
  if (filePath.includes('\0')) throw new FST_RESPONSES_FILE_NOT_FOUND()
  return filePath
}

function checkRegularFile (stats: FileStats): FileStats {
  if (!stats.isFile()) throw new FST_RESPONSES_FILE_NOT_FOUND()
  return stats
}

/** Stats without opening (HEAD). */
export async function statFile (filePath: string): Promise<FileStats> {
  return checkRegularFile(await fs.promises.stat(filePath, { bigint: true }).catch(rethrowAsFileError))
}

/** `statFile` on the calling thread: for a file the cache holds, where the thread pool's round trip costs more than the stat. */
export function statFileSync (filePath: string): FileStats {
  let stats: FileStats
  try {
    stats = fs.statSync(filePath, { bigint: true })
  } catch (err) {
    rethrowAsFileError(err)
  }
  return checkRegularFile(stats)
}

/** A Node callback that settles a promise. */
export function settle<T> (resolve: (value: T) => void, reject: (err: Error) => void) {
  return (err: Error | null, value: T): void => {
    if (err === null) resolve(value)
    else reject(err)
  }
}

export function closeQuietly (fd: number): void {
  fs.close(fd, () => {})
}

// O_NONBLOCK: opening a FIFO must not hang a thread of the pool; it then fails the regular-file check.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK

export interface OpenFile {
  fd: number
  stats: FileStats
}

/** Opens the file, then stats the descriptor (so stats and bytes are the same file), unless `stats` is given. */
export async function openFile (filePath: string, stats: FileStats | undefined): Promise<OpenFile> {
  const fd = await new Promise<number>((resolve, reject) => fs.open(filePath, OPEN_FLAGS, settle(resolve, reject))).catch(rethrowAsFileError)
  if (stats !== undefined) return { fd, stats }
  try {
    const fdStats = await new Promise<FileStats>((resolve, reject) => fs.fstat(fd, { bigint: true }, settle(resolve, reject)))
    return { fd, stats: checkRegularFile(fdStats) }
  } catch (err) {
    closeQuietly(fd)
    return rethrowAsFileError(err)
  }
}
