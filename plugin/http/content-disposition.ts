// Content-Disposition for a download name. A plain name (Python's `quote` leaves it unchanged)
// is sent as Starlette does, `<type>; filename="<name>"`; any other gets an ASCII fallback for
// old clients and the exact name in RFC 8187's `filename*=utf-8''<percent-encoded UTF-8>`,
// encoded as Python's `quote` does (uppercase hex). No CR, LF, quote or non-ASCII byte can
// reach the header.
import { percentEncode } from './percent-encoding.js'

// Empty included: `filename=""` is Starlette's form for an empty name, and valid as it is.
const PLAIN = /^[A-Za-z0-9_.~-]*$/
const COMBINING_MARKS = /[\u0300-\u036f]/g
const NOT_SAFE_IN_QUOTES = /[^\x20-\x7e]|["\\%]/gu

function isPlainByte (byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
}

/** `café "x".txt` → `cafe _x_.txt`: accents dropped, anything else outside printable ASCII replaced. */
function asciiFallback (name: string): string {
  return name.normalize('NFKD').replace(COMBINING_MARKS, '').replace(NOT_SAFE_IN_QUOTES, '_')
}

export function contentDisposition (type: string, filename: string): string {
  if (PLAIN.test(filename)) return `${type}; filename="${filename}"`
  return `${type}; filename="${asciiFallback(filename)}"; filename*=utf-8''${percentEncode(filename, isPlainByte)}`
}
