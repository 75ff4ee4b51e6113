// The Range header (RFC 9110 §14), read by Starlette 1.5's rules with one RFC correction: parts
// past the end are dropped instead of failing the whole header. Linear in the header's length:
// the part count is checked before anything is split, and merging sorts at most `maxRanges` parts.
// What the header asks for is returned as data; which status that becomes is the caller's choice.

/** Inclusive byte offsets, as Content-Range writes them. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * What a Range header asks for: the ranges to send (merged, ascending); `ignored` when it has
 * more than `maxRanges` parts (the whole file is sent); `malformed` with Starlette's message
 * (a 400); `unsatisfiable` when no range starts inside the file (a 416).
 */
export type RangeRequest =
  | { ranges: ByteRange[] }
  | { ignored: true }
  | { malformed: string }
  | { unsatisfiable: true }

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

export function parseRange (header: string, size: number, maxRanges: number): RangeRequest {
  const equals = header.indexOf('=')
  if (equals === -1) return { malformed: 'Malformed range header.' }
  if (header.slice(0, equals).trim().toLowerCase() !== 'bytes') return { malformed: 'Only support bytes range' }
  const specs = header.slice(equals + 1)
  if (countParts(specs) > maxRanges) return { ignored: true }

  const requested: ByteRange[] = []
  for (const part of specs.split(',')) {
    const range = parsePart(part.trim(), size)
    if (range !== undefined) requested.push(range)
  }
  if (requested.length === 0) return { malformed: 'Range header: range must be requested' }
  // Parts past the end go first: `bytes=100-0` of a 100-byte file is a 416, not a 400.
  const satisfiable = requested.filter((range) => range.start < size)
  if (satisfiable.length === 0) return { unsatisfiable: true }
  if (satisfiable.some((range) => range.end < range.start)) return { malformed: 'Range header: start must be less than end' }
  return { ranges: mergeRanges(satisfiable) }
}
