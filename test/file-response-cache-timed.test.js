'use strict'
// FileResponse over real HTTP with the app's file cache trusting copies for a while: the same
// behaviour, headers and bytes as without it (no test changes a file it has already requested).
require('./file-response-behaviour')({ revalidate: 60_000 })
