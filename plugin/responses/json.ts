// Starlette's JSONResponse and FastAPI's ORJSONResponse and UJSONResponse. Each renders through
// the app's serializer registry entry it names in `static serializer`, so an app can replace it
// (`registerSerializer('orjson', fn)`). A route response schema is a contract: every class sends
// what Fastify's serializer for the route writes (UJSONResponse in ujson's style); ORJSONResponse's
// `schema` option sends what fast-json-stringify writes for that schema.
import type { Exchange } from '../lib/context.js'
import { compileSchema, type SchemaSerializer } from '../json/schema.js'
import { serializationError } from '../json/writer.js'
import { checkUJSONOptions, ujsonFromJson, ujsonJson, type UJSONOptions } from '../json/ujson.js'
import { defaultSerializers, type SerializerRegistry } from '../json/serializers.js'
import { Response, type ResponseOptions } from './response.js'

function serializeWithSchema (serializer: SchemaSerializer, content: unknown): string {
  try {
    return serializer(content)
  } catch (err) {
    throw serializationError(err)
  }
}

export class JSONResponse extends Response {
  static override mediaType: string | undefined = 'application/json'
  /** The app's serializer registry entry this class renders through. */
  static serializer = 'application/json'

  override render (content: unknown, serializers: SerializerRegistry = defaultSerializers): string | Uint8Array {
    return serializers.get((this.constructor as typeof JSONResponse).serializer)(content, this.serializerOptions())
  }

  /** What the registry entry receives as its second argument. */
  protected serializerOptions (): unknown {
    return undefined
  }

  /** With a schema that filters the content, its serializer writes the body; else `render` does. */
  protected override renderFor (exchange: Exchange): string | Uint8Array {
    const serializer = this.schemaSerializer(exchange)
    return serializer === undefined ? super.renderFor(exchange) : serializeWithSchema(serializer, this.content)
  }

  /** The route's compiled serializer for this status, if any: the bytes Fastify sends for `return obj`. */
  protected schemaSerializer (exchange: Exchange): SchemaSerializer | undefined {
    return exchange.routeSerializer(this.statusCode)
  }
}

export interface ORJSONResponseOptions extends ResponseOptions {
  /** A JSON schema: sent as fast-json-stringify writes it, so only its declared fields (compiled once per schema object). */
  schema?: object
}

export class ORJSONResponse extends JSONResponse {
  static override serializer = 'orjson'
  readonly schema: object | undefined
  /** The `schema` option, compiled (once per schema object) here, so a bad schema fails at construction. */
  readonly #schemaSerializer: SchemaSerializer | undefined

  constructor (content: unknown, options: ORJSONResponseOptions = {}) {
    super(content, options)
    const { schema } = options
    this.schema = schema
    this.#schemaSerializer = schema === undefined ? undefined : compileSchema(schema)
  }

  override render (content: unknown, serializers: SerializerRegistry = defaultSerializers): string | Uint8Array {
    return this.#schemaSerializer === undefined ? super.render(content, serializers) : this.#schemaSerializer(content)
  }

  /**
   * The `schema` option first, else the route's serializer: a route may compile its schemas with
   * options or a compiler of its own, so only that serializer knows what the route sends.
   */
  protected override schemaSerializer (exchange: Exchange): SchemaSerializer | undefined {
    return this.#schemaSerializer ?? exchange.routeSerializer(this.statusCode)
  }
}

export interface UJSONResponseOptions extends ResponseOptions, UJSONOptions {}

export class UJSONResponse extends JSONResponse {
  static override serializer = 'ujson'
  readonly options: UJSONOptions

  constructor (content: unknown, options: UJSONResponseOptions = {}) {
    super(content, options)
    checkUJSONOptions(options)
    const { ensureAscii, escapeForwardSlashes, encodeHtmlChars, sortKeys, indent } = options
    this.options = { ensureAscii, escapeForwardSlashes, encodeHtmlChars, sortKeys, indent }
  }

  protected override serializerOptions (): UJSONOptions {
    return this.options
  }

  /**
   * On a route response schema, the JSON the route's serializer writes, in ujson's style. The
   * default ujson writer restyles that text as it is (numbers as written, a BigInt's digits too);
   * a replaced registry entry gets the value parsed from it.
   */
  protected override renderFor (exchange: Exchange): string | Uint8Array {
    const serializers = exchange.app.serializers
    const serializer = this.schemaSerializer(exchange)
    if (serializer === undefined) return this.render(this.content, serializers)
    const text = serializeWithSchema(serializer, this.content)
    if (serializers.get((this.constructor as typeof UJSONResponse).serializer) === ujsonJson) return ujsonFromJson(text, this.options)
    let content: unknown
    try {
      content = JSON.parse(text)
    } catch (err) {
      throw serializationError(err)
    }
    return this.render(content, serializers)
  }
}
