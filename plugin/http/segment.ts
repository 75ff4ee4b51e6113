// A response body as a list of segments: literal bytes (multipart framing) and inclusive byte
// ranges of the file, so a body can be described without reading the file.
import type { ByteRange } from './range.js'

export type Segment = Buffer | ByteRange

export function segmentLength (segment: Segment): number {
  return Buffer.isBuffer(segment) ? segment.length : segment.end - segment.start + 1
}
