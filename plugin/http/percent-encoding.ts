// Percent-encoding of UTF-8 bytes with uppercase hex, as Python's `quote` writes it; a lone
// surrogate becomes U+FFFD's bytes, as Buffer encodes it.

/** `%XX` for each UTF-8 byte of `text`, except the bytes `keep` accepts, which stay as they are. */
export function percentEncode (text: string, keep?: (byte: number) => boolean): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    out += keep?.(byte) === true ? String.fromCharCode(byte) : '%' + (byte < 16 ? '0' : '') + byte.toString(16).toUpperCase()
  }
  return out
}
