// Media types as Content-Type values, and their essence for lookups.
import { memoize } from '../lib/memoize.js'

/**
 * Starlette's rule: `; charset=utf-8` only on text types that name no charset. One string per
 * media type, so every response of a type sends the same string: a string built per request is
 * hashed and checked anew by Fastify's content-type cache and Node.
 */
export const contentTypeFor = memoize((mediaType: string): string =>
  mediaType.startsWith('text/') && !mediaType.toLowerCase().includes('charset=') ? mediaType + '; charset=utf-8' : mediaType, 256)

/** `type/subtype`, lowercased, without parameters. */
export function essence (mediaType: string): string {
  const semicolon = mediaType.indexOf(';')
  return (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase()
}
