// In-memory copies of small files, bytes and stats, for FileResponse's `cache` option: bounded
// by the total of their bytes (the least recently used go first) and by a per-file size. Pure
// bookkeeping: the caller stats and reads the files and decides which copy is fresh.
import type { BigIntStats } from 'node:fs'

/** The `cache` option, checked, with its defaults filled in. */
export interface CacheSettings {
  /** The most file bytes the app's cache holds at once. */
  maxBytes: number
  /** Larger files are never cached (sent from disk as without the cache). */
  maxFileSize: number
  /** 0: stat the file on every request and use the copy only if it is unchanged; else milliseconds a copy is trusted without a look at the disk. */
  revalidate: number
}

export interface CachedFile {
  /** The stats of the file the bytes were read from (its descriptor's). */
  readonly stats: BigIntStats
  readonly bytes: Buffer
  /** When the stats were last found to match the disk (performance.now()). */
  checkedAt: number
}

/** One store of copies: the least recently used are dropped to keep the bytes within maxBytes. */
export class FileCache {
  readonly maxBytes: number
  readonly maxFileSize: number
  // A Map iterates in insertion order: a copy used is moved to the end, so the first is the least recent.
  readonly #entries = new Map<string, CachedFile>()
  #bytes = 0

  constructor (maxBytes: number, maxFileSize: number) {
    this.maxBytes = maxBytes
    this.maxFileSize = maxFileSize
  }

  /** The bytes held, the sum of every copy's length: never above maxBytes. */
  get bytes (): number {
    return this.#bytes
  }

  get size (): number {
    return this.#entries.size
  }

  /** The copy under `key`, now the most recently used. */
  get (key: string): CachedFile | undefined {
    const entry = this.#entries.get(key)
    if (entry !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, entry)
    }
    return entry
  }

  /** Keeps `entry` under `key` (replacing any), dropping the least recently used to make room; false when the file is too large to keep. */
  set (key: string, entry: CachedFile): boolean {
    this.delete(key)
    if (entry.bytes.length > this.maxFileSize) return false
    for (const [oldest, { bytes }] of this.#entries) {
      if (this.#bytes + entry.bytes.length <= this.maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= bytes.length
    }
    this.#entries.set(key, entry)
    this.#bytes += entry.bytes.length
    return true
  }

  delete (key: string): void {
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes.length
  }

  clear (): void {
    this.#entries.clear()
    this.#bytes = 0
  }
}

/** An app's stores, one per (maxBytes, maxFileSize): routes asking for the same limits share one. */
export class FileCaches {
  readonly #stores = new Map<string, FileCache>()

  for (settings: CacheSettings): FileCache {
    const key = `${settings.maxBytes}:${settings.maxFileSize}`
    let store = this.#stores.get(key)
    if (store === undefined) {
      store = new FileCache(settings.maxBytes, settings.maxFileSize)
      this.#stores.set(key, store)
    }
    return store
  }

  clear (): void {
    for (const store of this.#stores.values()) store.clear()
    this.#stores.clear()
  }
}

/** The same file, unchanged: same device and inode, size, and mtime and ctime to the nanosecond. */
export function sameFile (a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs
}

const NS_PER_MS = 1_000_000n

/**
 * Whether a copy read at `readAt` (Date.now() before the read) may be kept. A file changed
 * within one timestamp tick of the read could change again in that tick without its mtime or
 * ctime moving, so it is kept only once its ctime is a tick older than the read: Linux stamps
 * with a clock of a few milliseconds' resolution; a file system that keeps whole seconds (FAT
 * keeps 2 s) shows it by a ctime without nanoseconds.
 */
export function isSettled (stats: BigIntStats, readAt: number): boolean {
  const tick = stats.ctimeNs % 1_000_000_000n === 0n ? 2000 : 20
  return Number(stats.ctimeNs / NS_PER_MS) + tick < readAt
}
