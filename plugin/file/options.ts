// FileResponse's options that an app may also set once for all (plugin option `file`), and
// their checks: an invalid value is a clear error where it is given, never at send time.
import path from 'node:path'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import type { FileStats } from '../http/etag.js'
import { isToken } from '../http/headers.js'
import { isTimerDelay } from '../lib/timer-delay.js'
import type { CacheSettings } from './cache.js'
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
  /**
   * Bytes per read; a body up to this size is read whole into one Buffer. Unset, reads start at
   * 64 KiB and grow up to 256 KiB while the client keeps up.
   */
  chunkSize?: number
  /** Small files kept in memory (see CacheOptions), or false. */
  cache?: CacheSettings | false
}

/** The `cache` option as given: true for the defaults, false for none, or some limits. */
export type CacheOptions = boolean | Partial<CacheSettings>

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
export type FileOptions = Omit<FileSettings, keyof CacheControlOptions | 'cache'> & CacheControlOptions & {
  /**
   * Keeps small files' bytes and stats in memory, per app: `{ maxBytes, maxFileSize, revalidate }`
   * (defaults 32 MiB, 1 MiB, 0), or true for the defaults. A response's own replaces the app's whole.
   */
  cache?: CacheOptions
}

export const DEFAULT_CACHE: Readonly<CacheSettings> = { maxBytes: 32 * 1024 * 1024, maxFileSize: 1024 * 1024, revalidate: 0 }

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
  chunkSize: (value) => isPositiveInteger(value) && (value as number) <= 2 ** 31 - 1,
  cache: (value) => typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value))
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
  chunkSize: 'a positive integer of bytes below 2 GiB',
  cache: 'true, false or { maxBytes, maxFileSize, revalidate }'
}

const cacheChecks: { [K in keyof CacheSettings]: [(value: number, settings: CacheSettings) => boolean, string] } = {
  maxBytes: [isPositiveInteger, 'a positive integer of bytes'],
  maxFileSize: [(value, settings) => isPositiveInteger(value) && value <= settings.maxBytes, 'a positive integer of bytes, at most maxBytes'],
  // A timer's range: the age of a copy is compared with it.
  revalidate: [(value) => Number.isSafeInteger(value) && isTimerDelay(value), 'an integer of milliseconds from 0 to 2147483647']
}

/** The cache option with its defaults, or false. */
function cacheSettings (value: CacheOptions, where: string): CacheSettings | false {
  if (value === false) return false
  const settings = { ...DEFAULT_CACHE }
  if (value === true) return settings
  for (const [key, given] of Object.entries(value)) {
    if (!(key in cacheChecks)) invalid(`${where}.cache: unknown option "${key}"`)
    if (given !== undefined) settings[key as keyof CacheSettings] = given
  }
  for (const [key, [check, expectation]] of Object.entries(cacheChecks)) {
    if (!check(settings[key as keyof CacheSettings], settings)) invalid(`${where}.cache.${key} must be ${expectation}`)
  }
  return settings
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
    if (key === 'root' && value !== false) checked[key] = path.resolve(value as string)
    else if (key === 'cache') checked[key] = cacheSettings(value as CacheOptions, where)
    else checked[key] = value
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
