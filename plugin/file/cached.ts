// A file as the cache has it: the copy kept in memory while it is still the file on disk, else
// the file read again (and kept when it fits), else, for files too large to keep, the file
// opened as without the cache. HEAD never reads or opens a file.
import { performance } from 'node:perf_hooks'
import type { BigIntStats } from 'node:fs'
import type { FileStats } from '../http/etag.js'
import { readSegments } from './body.js'
import { type FileCache, isSettled, sameFile } from './cache.js'
import { closeQuietly, type OpenFile, openFile, statFile, statFileSync } from './system.js'

/** What a request is answered from: the stats, and the bytes in memory or an open descriptor (none for HEAD). */
export interface FileSource {
  stats: FileStats
  bytes?: Buffer
  fd?: number
}

/** The copy under `key` if unchanged on disk (one stat of `filePath`), else the file read anew or opened. */
export async function revalidated (cache: FileCache, key: string, filePath: string, method: string): Promise<FileSource> {
  const entry = cache.get(key)
  let stats: BigIntStats
  try {
    // A copy held is checked with a synchronous stat, as nginx's open_file_cache checks: for a hot
    // local file it takes microseconds, where the thread pool's round trip cost small cached
    // files a third of their rate in the bench's 1 KiB case.
    stats = (entry === undefined ? await statFile(filePath) : statFileSync(filePath)) as BigIntStats
  } catch (err) {
    cache.delete(key)
    throw err
  }
  if (entry !== undefined && sameFile(entry.stats, stats)) {
    entry.checkedAt = performance.now()
    return entry
  }
  cache.delete(key)
  if (method === 'HEAD') return { stats }
  const readAt = Date.now()
  // The descriptor's stats decide: the copy is validated against the file its bytes came from.
  const file = await openFile(filePath, undefined) as OpenFile & { stats: BigIntStats }
  if (file.stats.size > cache.maxFileSize) return file
  let bytes: Buffer
  try {
    const size = Number(file.stats.size)
    bytes = await readSegments(file.fd, size === 0 ? [] : [{ start: 0, end: size - 1 }], size)
  } finally {
    closeQuietly(file.fd)
  }
  const copy = { stats: file.stats, bytes, checkedAt: performance.now() }
  if (isSettled(file.stats, readAt)) cache.set(key, copy)
  return copy
}

/** The copy under `key` if checked less than `revalidate` ms ago: trusted without touching the disk. */
export function trusted (cache: FileCache, key: string, revalidate: number): FileSource | undefined {
  const entry = cache.get(key)
  return entry !== undefined && performance.now() - entry.checkedAt < revalidate ? entry : undefined
}
