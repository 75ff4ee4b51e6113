// FileResponse's options that an app may also set once for all (plugin option `file`), and
// their checks: an invalid value is a clear error where it is given, never at send time.
import path from 'node:path'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import type { FileStats } from '../http/etag.js'
import { isToken } from '../http/headers.js'
import type { Dotfiles } from './system.js'

/**
 * Every file option, as checked and merged: once an app's defaults are under a response's own,
 * an app-wide maxAge may sit beside a response's cacheControl (which wins).
 */
export interface FileSettings {
  /** `attachment` (default) or `inline`: the Content-Disposition type when `filename` is given. */
  contentDispositionType?: string
  /** The ETag: Starlette's strong md5 (true, default), `'weak'`, none (false), or computed from the stats. */
  etag?: boolean | 'weak' | ((stats: FileStats) => string)
  /** Sends Last-Modified (default true). */
  lastModified?: boolean
  /** Answers If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (default true). */
  conditional?: boolean
  /** Serves Range requests and sends `accept-ranges: bytes` (default true). */
  acceptRanges?: boolean
  /** A Range with more parts than this is ignored: the whole file is sent (default 100). */
  maxRanges?: number
  cacheControl?: string
  maxAge?: number
  immutable?: boolean
  /** Serves `path` as a user-chosen name under this directory; false: a path of the programmer's (overrides an app-wide root). */
  root?: string | false
  /** Names with a segment starting with a dot, under `root`: 'ignore' (404, default), 'deny' (403), 'allow'. */
  dotfiles?: Dotfiles
  /** Bytes per read; a body up to this size is read whole into one Buffer (default 64 KiB). */
  chunkSize?: number
}

/** Cache-Control as is, or built from maxAge and immutable: one object given both is refused. */
export type CacheControlOptions =
  | {
    /** The Cache-Control value, as is. */
    cacheControl?: string
    maxAge?: undefined
    immutable?: undefined
  }
  | {
    cacheControl?: undefined
    /** `cache-control: public, max-age=<maxAge>` (seconds). */
    maxAge?: number
    /** Adds `immutable` to the max-age Cache-Control. */
    immutable?: boolean
  }

/** FileResponse's options, and the plugin's `file` option. */
export type FileOptions = Omit<FileSettings, keyof CacheControlOptions> & CacheControlOptions

function invalid (message: string): never {
  throw new FST_RESPONSES_INVALID_OPTION(message)
}

function isPositiveInteger (value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) > 0
}

const checks: { [K in keyof FileSettings]-?: (value: unknown) => boolean } = {
  contentDispositionType: isToken,
  etag: (value) => typeof value === 'boolean' || value === 'weak' || typeof value === 'function',
  lastModified: (value) => typeof value === 'boolean',
  conditional: (value) => typeof value === 'boolean',
  acceptRanges: (value) => typeof value === 'boolean',
  maxRanges: isPositiveInteger,
  cacheControl: (value) => typeof value === 'string' && !/[\r\n\0]/.test(value),
  maxAge: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  immutable: (value) => typeof value === 'boolean',
  root: (value) => value === false || (typeof value === 'string' && value !== '' && !value.includes('\0')),
  dotfiles: (value) => value === 'allow' || value === 'deny' || value === 'ignore',
  // fs.read reads at most 2 GiB - 1 bytes at once.
  chunkSize: (value) => isPositiveInteger(value) && (value as number) <= 2 ** 31 - 1
}

const expected: Record<keyof FileSettings, string> = {
  contentDispositionType: 'a token such as "attachment" or "inline"',
  etag: "true, false, 'weak' or a function of the stats",
  lastModified: 'a boolean',
  conditional: 'a boolean',
  acceptRanges: 'a boolean',
  maxRanges: 'a positive integer',
  cacheControl: 'a string without CR, LF or NUL',
  maxAge: 'a non-negative integer of seconds',
  immutable: 'a boolean',
  root: 'a directory path or false',
  dotfiles: "'allow', 'deny' or 'ignore'",
  chunkSize: 'a positive integer of bytes below 2 GiB'
}

/**
 * The options that are set, checked; unknown keys are refused when `where` names a place
 * (the plugin option), since there nothing else may share the object.
 */
export function checkFileOptions (options: Record<string, unknown>, where: string): FileSettings {
  const checked: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    const check = checks[key as keyof FileSettings]
    if (check === undefined) invalid(`${where}: unknown option "${key}"`)
    if (!check(value)) invalid(`${where}.${key} must be ${expected[key as keyof FileSettings]}`)
    checked[key] = key === 'root' && value !== false ? path.resolve(value as string) : value
  }
  if (checked.cacheControl !== undefined && (checked.maxAge !== undefined || checked.immutable !== undefined)) {
    invalid(`${where}: cacheControl excludes maxAge and immutable`)
  }
  return checked as FileSettings
}

/** Cache-Control from the options, if any. */
export function cacheControlFor (options: FileSettings): string | undefined {
  if (options.cacheControl !== undefined) return options.cacheControl
  if (options.maxAge === undefined && options.immutable !== true) return undefined
  return `public, max-age=${options.maxAge ?? 0}${options.immutable === true ? ', immutable' : ''}`
}

/** A response's options over the app's defaults, option by option. */
export function withDefaults (options: FileSettings, defaults: FileSettings | undefined): FileSettings {
  return defaults === undefined ? options : { ...defaults, ...options }
}
