'use strict'
// FileResponse over real HTTP, without the file cache.
require('./file-response-behaviour')(undefined)
