// multipart/byteranges framing (RFC 9110 §14.6): one part per range, each
// `--<b>\r\nContent-Type: <type>\r\nContent-Range: bytes a-b/size\r\n\r\n<data>\r\n`, closed by
// `--<b>--`. The framing is built up front, so the content-length is exact.
import { randomBytes } from 'node:crypto'
import type { ByteRange } from './range.js'
import { type Segment, segmentLength } from './segment.js'

export interface Multipart {
  contentType: string
  segments: Segment[]
  length: number
}

export function multipartByteranges (ranges: ByteRange[], size: number, partType: string, boundary = randomBytes(13).toString('hex')): Multipart {
  const segments: Segment[] = []
  const crlf = Buffer.from('\r\n')
  for (const range of ranges) {
    segments.push(Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\nContent-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`, 'latin1'), range, crlf)
  }
  segments.push(Buffer.from(`--${boundary}--`))
  let length = 0
  for (const segment of segments) length += segmentLength(segment)
  return { contentType: `multipart/byteranges; boundary=${boundary}`, segments, length }
}
