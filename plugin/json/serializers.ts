// Serializers by media type: how a Response renders content that is not already text or bytes.
// The plugin keeps one registry per app (plugin option `serializers`, `app.responses.registerSerializer`);
// `defaultSerializers` is what an instance uses outside of an app (its `body` getter, for one).
// Entries are media types, plus `orjson` and `ujson`: the JSON classes all send `application/json`,
// so each class names the entry it renders through (`static serializer`).
import { FST_RESPONSES_INVALID_OPTION, FST_RESPONSES_NO_SERIALIZER } from '../errors.js'
import { essence } from '../http/media-type.js'
import { fastJson } from './fast.js'
import { standardJson } from './standard.js'
import { ujsonJson } from './ujson.js'

/** Renders content; `options` are the response's serializer options (UJSONResponse's), if any. */
export type Serializer = (content: unknown, options?: any) => string | Uint8Array

export class SerializerRegistry {
  #byType = new Map<string, Serializer>()

  constructor (entries: Iterable<readonly [string, Serializer]> = []) {
    for (const [mediaType, serializer] of entries) this.register(mediaType, serializer)
  }

  register (mediaType: string, serializer: Serializer): this {
    if (typeof mediaType !== 'string' || mediaType.trim() === '') throw new FST_RESPONSES_INVALID_OPTION('a serializer needs a media type')
    if (typeof serializer !== 'function') throw new FST_RESPONSES_INVALID_OPTION(`the serializer for "${mediaType}" must be a function`)
    this.#byType.set(essence(mediaType), serializer)
    return this
  }

  /** The serializer for a media type, parameters (`; charset=...`) ignored. */
  get (mediaType: string | undefined): Serializer {
    // Entries are keyed by essence, so a key as registered is found without parsing it.
    const serializer = mediaType === undefined ? undefined : this.#byType.get(mediaType) ?? this.#byType.get(essence(mediaType))
    if (serializer === undefined) throw new FST_RESPONSES_NO_SERIALIZER(mediaType ?? 'none')
    return serializer
  }

  /** Whether a serializer is registered for a media type (parameters ignored). */
  has (mediaType: string): boolean {
    return this.#byType.has(mediaType) || this.#byType.has(essence(mediaType))
  }

  copy (): SerializerRegistry {
    return new SerializerRegistry(this.#byType)
  }
}

export const defaultSerializers = new SerializerRegistry([
  ['application/json', standardJson],
  ['orjson', fastJson],
  ['ujson', ujsonJson]
])
