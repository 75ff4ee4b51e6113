// The Range header (RFC 9110 §14), read by Starlette 1.5's rules with one RFC correction: parts
// past the end are dropped instead of failing the whole header. Linear in the header's length:
// the part count is checked before anything is split, and merging sorts at most `maxRanges` parts.
import { FST_RESPONSES_RANGE_MALFORMED, FST_RESPONSES_RANGE_NOT_SATISFIABLE } from '../errors.js'

/** Inclusive byte offsets, as Content-Range writes them. */
export interface ByteRange {
  start: number
  end: number
}

const DIGITS = /^[0-9]+$/

function countParts (specs: string): number {
  let parts = 1
  for (let at = specs.indexOf(','); at !== -1; at = specs.indexOf(',', at + 1)) parts++
  return parts
}

/** One `a-b`, `a-` or `-n`; undefined for a part Starlette skips (empty, `-`, no dash, not integers). */
function parsePart (part: string, size: number): ByteRange | undefined {
  const dash = part.indexOf('-')
  if (dash === -1) return undefined
  const first = part.slice(0, dash).trim()
  const last = part.slice(dash + 1).trim()
  if (first === '') {
    // `-n`: the last n bytes, the whole file when n is larger than it.
    return DIGITS.test(last) ? { start: Math.max(0, size - Number(last)), end: size - 1 } : undefined
  }
  if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return undefined
  return { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
}

/** Sorted, with overlapping and adjacent ranges merged. */
export function mergeRanges (ranges: ByteRange[]): ByteRange[] {
  const sorted = ranges.slice().sort((a, b) => a.start - b.start)
  const merged: ByteRange[] = []
  for (const range of sorted) {
    const previous = merged[merged.length - 1]
    if (previous !== undefined && range.start <= previous.end + 1) previous.end = Math.max(previous.end, range.end)
    else merged.push({ start: range.start, end: range.end })
  }
  return merged
}

function notSatisfiable (size: number): Error {
  // Fastify's error handler sets `error.headers` on the error response.
  return Object.assign(new FST_RESPONSES_RANGE_NOT_SATISFIABLE(), { headers: { 'content-range': `bytes */${size}` } })
}

/**
 * The ranges to send, merged and ascending; undefined when the header is to be ignored (more
 * than `maxRanges` parts). Throws the 400 (Starlette's messages) and 416 errors.
 */
export function parseRange (header: string, size: number, maxRanges: number): ByteRange[] | undefined {
  const equals = header.indexOf('=')
  if (equals === -1) throw new FST_RESPONSES_RANGE_MALFORMED('Malformed range header.')
  if (header.slice(0, equals).trim().toLowerCase() !== 'bytes') throw new FST_RESPONSES_RANGE_MALFORMED('Only support bytes range')
  const specs = header.slice(equals + 1)
  if (countParts(specs) > maxRanges) return undefined

  const requested: ByteRange[] = []
  for (const part of specs.split(',')) {
    const range = parsePart(part.trim(), size)
    if (range !== undefined) requested.push(range)
  }
  if (requested.length === 0) throw new FST_RESPONSES_RANGE_MALFORMED('Range header: range must be requested')
  const satisfiable = requested.filter((range) => range.start < size)
  if (satisfiable.length === 0) throw notSatisfiable(size)
  if (satisfiable.some((range) => range.end < range.start)) throw new FST_RESPONSES_RANGE_MALFORMED('Range header: start must be less than end')
  return mergeRanges(satisfiable)
}
