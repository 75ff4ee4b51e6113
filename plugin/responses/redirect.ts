// Starlette's RedirectResponse: 307 by default, an empty body, the URL quoted as Python's
// `quote` does; plus the open-redirect guard when the app turns it on.
import { FST_RESPONSES_REDIRECT_NOT_ALLOWED } from '../errors.js'
import type { Background } from '../lib/background.js'
import type { Exchange, ResponseResult } from '../lib/context.js'
import type { HeadersInit, ResponseHeaders } from '../http/headers.js'
import { isRedirectAllowed, quoteUrl } from '../http/url.js'
import { checkStatusCode } from '../http/status.js'
import { kRespond, Response } from './response.js'

/** Starlette's default status for a redirect (Temporary Redirect: the method is kept). */
export const REDIRECT_STATUS = 307

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9

/** 300 to 399: a redirect with any other status is refused. */
export type RedirectStatusCode = `3${Digit}${Digit}` extends infer Code ? Code extends `${infer N extends number}` ? N : never : never

export interface RedirectOptions {
  statusCode?: RedirectStatusCode
  headers?: HeadersInit | ResponseHeaders
  background?: Background
}

export class RedirectResponse extends Response {
  constructor (url: string | URL, options: RedirectOptions = {}) {
    const { statusCode = REDIRECT_STATUS, headers, background } = options
    super(undefined, { statusCode: checkStatusCode(statusCode, RedirectResponse, 300, 399), headers, background })
    this.headers.set('location', quoteUrl(String(url)))
  }

  override [kRespond] (exchange: Exchange): ResponseResult | Promise<ResponseResult> {
    const policy = exchange.app.redirect
    if (policy !== undefined && !isRedirectAllowed(this.headers.get('location') as string, exchange.origin, policy)) {
      throw new FST_RESPONSES_REDIRECT_NOT_ALLOWED()
    }
    return super[kRespond](exchange)
  }
}
