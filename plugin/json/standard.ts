// Starlette's JSONResponse (`json.dumps(..., allow_nan=False)`): JSON.stringify's output, where
// NaN, ±Infinity, BigInt, circular data and a top-level `undefined` are errors.
import { FST_RESPONSES_SERIALIZATION } from '../errors.js'
import { serializationError } from './writer.js'

/** Compact standard JSON. */
export function standardJson (content: unknown): string {
  return strictJson(content, 0)
}

/** JSON.stringify(content, null, indent), refusing what is not JSON instead of writing `null`. */
export function strictJson (content: unknown, indent: number): string {
  let text: string | undefined
  try {
    text = JSON.stringify(content, null, indent)
  } catch (err) {
    throw serializationError(err)
  }
  if (text === undefined) throw new FST_RESPONSES_SERIALIZATION(`${typeof content} is not JSON`)
  // JSON.stringify writes NaN and ±Infinity as `null`: only output that contains one can hide them.
  // The walk looks at what JSON.stringify wrote (own enumerable keys, `toJSON` results); it is
  // several times faster than a second JSON.stringify with a replacer.
  if (text.includes('null')) {
    try {
      refuseNonFinite(content, '')
    } catch (err) {
      throw serializationError(err)
    }
  }
  return text
}

function refuseNonFinite (value: unknown, key: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FST_RESPONSES_SERIALIZATION(`${value} is not JSON${key === '' ? '' : ` (at key ${JSON.stringify(key)})`}`)
    return
  }
  if (typeof value !== 'object' || value === null) return
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') {
    refuseNonFinite(toJSON.call(value, key), key)
    return
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) refuseNonFinite(value[index], String(index))
    return
  }
  for (const name in value) {
    if (Object.hasOwn(value, name)) refuseNonFinite((value as Record<string, unknown>)[name], name)
  }
}
