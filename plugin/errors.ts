// Every error this package throws, in one place, with a stable `FST_RESPONSES_*` code
// (the @fastify/error convention: `err.code`, `err.statusCode`, `instanceof errors.X`).
// Messages never contain server paths: they may reach clients through Fastify's error handler.
import createError from '@fastify/error'

// Programmer errors: invalid arguments or options. 500 when they surface during a request.
export const FST_RESPONSES_INVALID_OPTION = createError('FST_RESPONSES_INVALID_OPTION', 'Invalid option: %s', 500, TypeError)
export const FST_RESPONSES_INVALID_STATUS = createError('FST_RESPONSES_INVALID_STATUS', 'Invalid status code for %s: %s', 500, RangeError)
export const FST_RESPONSES_INVALID_HEADER = createError('FST_RESPONSES_INVALID_HEADER', 'Invalid header %s: %s', 500, TypeError)
export const FST_RESPONSES_INVALID_CONTENT = createError('FST_RESPONSES_INVALID_CONTENT', 'Invalid content: %s', 500, TypeError)
export const FST_RESPONSES_NO_SERIALIZER = createError('FST_RESPONSES_NO_SERIALIZER', 'No serializer is registered for media type "%s"', 500, TypeError)
export const FST_RESPONSES_SERIALIZATION = createError('FST_RESPONSES_SERIALIZATION', 'Cannot serialize content: %s', 500, TypeError)
export const FST_RESPONSES_INVALID_COOKIE = createError('FST_RESPONSES_INVALID_COOKIE', 'Invalid cookie: %s', 500, TypeError)
export const FST_RESPONSES_INVALID_BACKGROUND = createError('FST_RESPONSES_INVALID_BACKGROUND', 'Invalid background task: %s', 500, TypeError)
export const FST_RESPONSES_INVALID_SOURCE = createError('FST_RESPONSES_INVALID_SOURCE', 'Invalid stream source: %s', 500, TypeError)
export const FST_RESPONSES_ALREADY_REGISTERED = createError('FST_RESPONSES_ALREADY_REGISTERED', 'fastify-responses is already registered in this context: register it in a child context to give its routes other options', 500)
export const FST_RESPONSES_INVALID_EVENT = createError('FST_RESPONSES_INVALID_EVENT', 'Invalid server-sent event: %s', 500, TypeError)

// Client errors: the request asked for something this response refuses.
export const FST_RESPONSES_REDIRECT_NOT_ALLOWED = createError('FST_RESPONSES_REDIRECT_NOT_ALLOWED', 'Redirect target is not allowed', 400)
export const FST_RESPONSES_FILE_NOT_FOUND = createError('FST_RESPONSES_FILE_NOT_FOUND', 'File not found', 404)
export const FST_RESPONSES_FILE_FORBIDDEN = createError('FST_RESPONSES_FILE_FORBIDDEN', 'Access to the file is forbidden', 403)
export const FST_RESPONSES_RANGE_MALFORMED = createError('FST_RESPONSES_RANGE_MALFORMED', '%s', 400)
export const FST_RESPONSES_RANGE_NOT_SATISFIABLE = createError('FST_RESPONSES_RANGE_NOT_SATISFIABLE', 'Range Not Satisfiable', 416)
export const FST_RESPONSES_PRECONDITION_FAILED = createError('FST_RESPONSES_PRECONDITION_FAILED', 'Precondition Failed', 412)
// An I/O failure other than a missing or forbidden file (EMFILE, EIO...): the cause is kept for logs.
export const FST_RESPONSES_FILE_UNREADABLE = createError('FST_RESPONSES_FILE_UNREADABLE', 'The file cannot be read', 500)
