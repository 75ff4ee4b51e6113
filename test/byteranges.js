'use strict'
// multipart/byteranges bodies (RFC 9110 §14.6) read back into their parts, and a file plan's
// segments turned into the bytes they stand for: shared by the file tests.

/**
 * The parts of a multipart/byteranges body, [{ headers, data }] with the header names as sent.
 * Throws when the framing is broken: another content type, no final boundary, a part whose
 * data does not end with CRLF.
 */
function parseByteranges (contentType, body) {
  const match = /^multipart\/byteranges; boundary=(\S+)$/.exec(contentType)
  if (match === null) throw new Error(`not multipart/byteranges: ${contentType}`)
  const delimiter = `--${match[1]}\r\n`
  const close = `--${match[1]}--`
  const text = body.toString('latin1')
  if (!text.startsWith(delimiter)) throw new Error('does not start with a boundary')
  if (!text.endsWith(close)) throw new Error('not closed by the final boundary')
  return text.slice(delimiter.length, -close.length).split(delimiter).map((part) => {
    const headEnd = part.indexOf('\r\n\r\n')
    if (headEnd === -1 || !part.endsWith('\r\n')) throw new Error('a part without headers or without its closing CRLF')
    const headers = Object.fromEntries(part.slice(0, headEnd).split('\r\n').map((line) => {
      const colon = line.indexOf(': ')
      return [line.slice(0, colon), line.slice(colon + 2)]
    }))
    return { headers, data: Buffer.from(part.slice(headEnd + 4, -2), 'latin1') }
  })
}

/** The body a list of segments (literal Buffers and inclusive byte ranges) makes of `file`. */
function bytesOf (segments, file) {
  return Buffer.concat(segments.map((segment) => Buffer.isBuffer(segment) ? segment : file.subarray(segment.start, segment.end + 1)))
}

module.exports = { parseByteranges, bytesOf }
