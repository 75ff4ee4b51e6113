// Starlette's JSONResponse and FastAPI's ORJSONResponse and UJSONResponse. Each renders through
// the app's serializer registry entry it names in `static serializer`, so an app can replace it
// (`registerSerializer('orjson', fn)`); a route response schema, or ORJSONResponse's `schema`
// option, sends only the declared fields instead.
import type { Exchange } from '../lib/context.js'
import { compileSchema, projectionFor, type SchemaSerializer } from '../json/fast.js'
import { serializationError } from '../json/writer.js'
import { checkUJSONOptions, type UJSONOptions } from '../json/ujson.js'
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
  /** A JSON schema: only its declared fields are sent (compiled once per schema object). */
  schema?: object
}

// What ORJSONResponse sends with for each serializer Fastify compiled from a route schema, chosen
// once: reading the route's schema builds a fresh object on every call.
const routeChoices = new WeakMap<SchemaSerializer, SchemaSerializer>()

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
   * The `schema` option first; else the route's schema, through the faster projection where it
   * applies (see json-fast.ts), else the serializer Fastify compiled for the route.
   */
  protected override schemaSerializer (exchange: Exchange): SchemaSerializer | undefined {
    if (this.#schemaSerializer !== undefined) return this.#schemaSerializer
    const serializer = exchange.routeSerializer(this.statusCode)
    if (serializer === undefined) return undefined
    let chosen = routeChoices.get(serializer)
    if (chosen === undefined) {
      chosen = projectionFor(exchange.routeSchema(this.statusCode)) ?? serializer
      routeChoices.set(serializer, chosen)
    }
    return chosen
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

  /** A route response schema filters the content first (FastAPI's response_model), then ujson writes it. */
  protected override renderFor (exchange: Exchange): string | Uint8Array {
    const serializer = this.schemaSerializer(exchange)
    const content = serializer === undefined ? this.content : JSON.parse(serializeWithSchema(serializer, this.content))
    return this.render(content, exchange.app.serializers)
  }
}
