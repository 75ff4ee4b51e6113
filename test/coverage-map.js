'use strict'
// Every test file covers the whole compiled package.
module.exports = () => ['dist/**/*.js']
