// ORJSONResponse's `schema` option: the bytes fast-json-stringify writes for that schema, which
// are what a Fastify route with that schema sends, whatever the data.
import fastJsonStringify from 'fast-json-stringify'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { serializationError } from './writer.js'

export type SchemaSerializer = (content: unknown) => string

const compiled = new WeakMap<object, SchemaSerializer>()

/** The serializer for a JSON schema, compiled once per schema object. */
export function compileSchema (schema: object): SchemaSerializer {
  if (typeof schema !== 'object' || schema === null) throw new FST_RESPONSES_INVALID_OPTION('schema must be a JSON schema object')
  let serializer = compiled.get(schema)
  if (serializer === undefined) {
    serializer = compileWithFastJsonStringify(schema)
    compiled.set(schema, serializer)
  }
  return serializer
}

function compileWithFastJsonStringify (schema: object): SchemaSerializer {
  let stringify: (content: unknown) => string
  try {
    stringify = fastJsonStringify(schema)
  } catch (err) {
    throw new FST_RESPONSES_INVALID_OPTION(`schema: ${(err as Error).message}`)
  }
  return (content) => {
    try {
      return stringify(content)
    } catch (err) {
      throw serializationError(err)
    }
  }
}
