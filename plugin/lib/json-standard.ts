// Starlette's JSONResponse (`json.dumps(..., allow_nan=False)`): JSON.stringify's output, where
// NaN, ±Infinity, BigInt, circular data and a top-level `undefined` are errors.
import { FST_RESPONSES_SERIALIZATION } from '../errors.js'
import { serializationError } from './json-writer.js'

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
  if (text.includes('null')) JSON.stringify(content, refuseNonFinite)
  return text
}

function refuseNonFinite (key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new FST_RESPONSES_SERIALIZATION(`${value} is not JSON${key === '' ? '' : ` (at key ${JSON.stringify(key)})`}`)
  }
  return value
}
