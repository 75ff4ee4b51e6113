'use strict'
// FileResponse over real HTTP with the app's file cache checking every copy with a stat: the same
// behaviour, headers and bytes as without it.
require('./file-response-behaviour')({ revalidate: 0 })
