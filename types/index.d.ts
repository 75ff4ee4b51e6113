// The public type surface of fastify-responses. The classes and option types are the compiled
// declarations of plugin/ (which also augment FastifyReply, FastifyInstance and route options);
// this file gives them the shape the package has at run time: `require()` returns the plugin
// with every export on it, and ESM's default import is that same plugin.
import type { FastifyPluginCallback } from 'fastify'
import * as api from '../dist/index.js'

type FastifyResponses = FastifyPluginCallback<api.FastifyResponsesOptions>

declare namespace fastifyResponses {
  export import Response = api.Response
  export import HTMLResponse = api.HTMLResponse
  export import PlainTextResponse = api.PlainTextResponse
  export import JSONResponse = api.JSONResponse
  export import ORJSONResponse = api.ORJSONResponse
  export import UJSONResponse = api.UJSONResponse
  export import RedirectResponse = api.RedirectResponse
  export import StreamingResponse = api.StreamingResponse
  export import JSONLinesResponse = api.JSONLinesResponse
  export import EventSourceResponse = api.EventSourceResponse
  export import ServerSentEvent = api.ServerSentEvent
  export import FileResponse = api.FileResponse
  export import BackgroundTask = api.BackgroundTask
  export import BackgroundTasks = api.BackgroundTasks
  export import ResponseHeaders = api.ResponseHeaders
  export import errors = api.errors
  export type FastifyResponsesOptions = api.FastifyResponsesOptions
  export type ResponseClass = api.ResponseClass
  export type ResponseOptions = api.ResponseOptions
  export type RedirectOptions = api.RedirectOptions
  export type FileResponseOptions = api.FileResponseOptions
  export type FileOptions = api.FileOptions
  export type ORJSONResponseOptions = api.ORJSONResponseOptions
  export type UJSONResponseOptions = api.UJSONResponseOptions
  export type UJSONOptions = api.UJSONOptions
  export type Background = api.Background
  export type Source<T = unknown> = api.Source<T>
  export type StreamSource<T = unknown> = api.StreamSource<T>
  export type EventStreamSource<T = unknown> = api.EventStreamSource<T>
  export type EventSourceOptions = api.EventSourceOptions
  export type ServerSentEventInit = api.ServerSentEventInit
  export type CookieOptions = api.CookieOptions
  export type Serializer = api.Serializer
  export type SerializerRegistry = api.SerializerRegistry
  export type TextContent = api.TextContent
  export type RedirectStatusCode = api.RedirectStatusCode
  export type ServerSentEventData = api.ServerSentEventData
  export type ServerSentEventFields = api.ServerSentEventFields
  export type Chunk = api.Chunk
  export type CacheControlOptions = api.CacheControlOptions
  export type Dotfiles = api.Dotfiles
  export type FileStats = api.FileStats
  export type SameSite = api.SameSite
  export type HeadersInit = api.HeadersInit
  export type HeaderValue = api.HeaderValue
  export import ResponseRouteHandler = api.ResponseRouteHandler
  export const fastifyResponses: FastifyResponses
  export { fastifyResponses as default }
}

declare function fastifyResponses (...params: Parameters<FastifyResponses>): ReturnType<FastifyResponses>
export = fastifyResponses
