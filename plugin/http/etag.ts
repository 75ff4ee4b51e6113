// Starlette's strong ETag, byte for byte: `"md5(str(st_mtime) + "-" + str(st_size))"`, where
// st_mtime is the float CPython builds from the stat (`sec + nsec * 1e-9`) and `str` prints it
// as Python's repr does (shortest round-trip digits, `.0` on whole numbers, exponent outside 1e-4..1e16).
import { createHash } from 'node:crypto'
import type { BigIntStats, Stats } from 'node:fs'

export type FileStats = Stats | BigIntStats

/** Python's `repr(float)` of a finite number. */
export function pythonFloatRepr (value: number): string {
  const [digits, exponentText] = value.toExponential().split('e') as [string, string]
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  const fixed = String(value)
  return Number.isInteger(value) ? fixed + '.0' : fixed
}

const NS_PER_SECOND = 1_000_000_000n

/**
 * CPython's `st_mtime`. Exact from BigIntStats (`mtimeNs`); from Stats only `mtimeMs` exists,
 * which has lost the last nanosecond digits, so the result can differ from Python's there.
 */
export function pythonMtime (stats: FileStats): number {
  if (typeof stats.mtimeMs === 'bigint') {
    const ns = (stats as BigIntStats).mtimeNs
    let seconds = ns / NS_PER_SECOND
    if (seconds * NS_PER_SECOND > ns) seconds -= 1n // floor, as the kernel's timespec for times before 1970
    return Number(seconds) + Number(ns - seconds * NS_PER_SECOND) * 1e-9
  }
  const seconds = Math.floor(stats.mtimeMs / 1000)
  return seconds + Math.round((stats.mtimeMs - seconds * 1000) * 1e6) * 1e-9
}

export function fileSize (stats: FileStats): number {
  return Number(stats.size)
}

/** The modification time in whole seconds, as HTTP dates carry it. */
export function mtimeSeconds (stats: FileStats): number {
  return Math.floor(Number(stats.mtimeMs) / 1000)
}

// The same file is usually served many times: its tag is computed once per (mtime, size).
// Bounded: the cache starts over when it is full.
const MAX_CACHED = 1024
const cache = new Map<string, string>()

export function starletteEtag (stats: FileStats): string {
  const key = `${typeof stats.mtimeMs === 'bigint' ? (stats as BigIntStats).mtimeNs : stats.mtimeMs}:${stats.size}`
  let etag = cache.get(key)
  if (etag === undefined) {
    const base = `${pythonFloatRepr(pythonMtime(stats))}-${fileSize(stats)}`
    etag = `"${createHash('md5').update(base).digest('hex')}"`
    if (cache.size >= MAX_CACHED) cache.clear()
    cache.set(key, etag)
  }
  return etag
}
