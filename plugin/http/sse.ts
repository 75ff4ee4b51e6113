// Server-sent events on the wire (WHATWG HTML §9.2): FastAPI's ServerSentEvent and its
// format_sse_event field order (comments, event, data lines, id, retry).
import { FST_RESPONSES_INVALID_EVENT } from '../errors.js'

/** An event's data: a JSON value or raw text, not both. */
export type ServerSentEventData =
  | {
    /** Any JSON value, serialized with the app's `application/json` serializer. */
    data?: unknown
    rawData?: undefined
  }
  | {
    data?: undefined
    /** Text sent as it is. */
    rawData?: string
  }

export type ServerSentEventInit = ServerSentEventData & ServerSentEventFields

export interface ServerSentEventFields {
  event?: string
  id?: string | number
  /** Reconnection delay for the client, in milliseconds. */
  retry?: number
  comment?: string
}

const LINE_BREAK = /\r\n|\r|\n/
const ANY_LINE_BREAK = /[\r\n]/
const LINE_BREAK_OR_NUL = /[\r\n\0]/

function checkString (field: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new FST_RESPONSES_INVALID_EVENT(`${field} must be a string`)
  return value
}

/** A field value that fits on its field's line. */
function checkLine (field: string, value: unknown, forbidden: RegExp, what: string): string | undefined {
  const text = checkString(field, value)
  if (text !== undefined && forbidden.test(text)) throw new FST_RESPONSES_INVALID_EVENT(`${field} must not contain ${what}`)
  return text
}

export class ServerSentEvent {
  readonly data: unknown
  readonly rawData: string | undefined
  readonly event: string | undefined
  readonly id: string | undefined
  readonly retry: number | undefined
  readonly comment: string | undefined

  constructor ({ data, rawData, event, id, retry, comment }: ServerSentEventInit = {}) {
    if (data !== undefined && rawData !== undefined) throw new FST_RESPONSES_INVALID_EVENT('data and rawData cannot be given together')
    if (retry !== undefined && (!Number.isSafeInteger(retry) || retry < 0)) throw new FST_RESPONSES_INVALID_EVENT('retry must be a non-negative integer')
    this.data = data
    this.rawData = checkString('rawData', rawData)
    // A line break would start another field; a NUL in the id makes clients ignore it.
    this.event = checkLine('event', event, LINE_BREAK, 'line breaks')
    this.id = checkLine('id', typeof id === 'number' ? String(id) : id, LINE_BREAK_OR_NUL, 'line breaks or NUL')
    this.retry = retry
    this.comment = checkString('comment', comment)
  }
}

/** One `<prefix><line>\n` per line of the text, split on every kind of line ending. */
function lines (prefix: string, text: string): string {
  // Most texts are one line (compact JSON always is): no split, no array.
  if (!ANY_LINE_BREAK.test(text)) return prefix + text + '\n'
  let out = ''
  for (const line of text.split(LINE_BREAK)) out += prefix + line + '\n'
  return out
}

const utf8 = new TextDecoder()

export type JsonSerializer = (value: unknown) => string | Uint8Array

function json (serialize: JsonSerializer, value: unknown): string {
  const text = serialize(value)
  return typeof text === 'string' ? text : utf8.decode(text)
}

/** A plain value as an event: its JSON as data. */
export function formatData (value: unknown, serialize: JsonSerializer): string {
  return lines('data: ', json(serialize, value)) + '\n'
}

export function formatEvent (event: ServerSentEvent, serialize: JsonSerializer): string {
  let out = ''
  if (event.comment !== undefined) out += lines(': ', event.comment)
  if (event.event !== undefined) out += `event: ${event.event}\n`
  if (event.data !== undefined) out += lines('data: ', json(serialize, event.data))
  else if (event.rawData !== undefined) out += lines('data: ', event.rawData)
  if (event.id !== undefined) out += `id: ${event.id}\n`
  if (event.retry !== undefined) out += `retry: ${event.retry}\n`
  return out + '\n'
}
