'use strict'
// What a scenario file is, and how to read one. A scenario is one small file in bench/scenarios/,
// loaded both by the runner (what to measure) and by each server child (to build its side):
//
//   module.exports = {
//     description: 'HTML string',
//     requires: { exports: [], decorators: ['htmlResponse'], modules: [],   // optional: skipped when missing
//                 commands: ['nginx'] },
//     setup: async (settings) => context, teardown: async (context) => {},    // optional, in the runner;
//                                                                             // context (JSON) goes to sides
//     cases: [{                                                               // or a function returning them
//       name: 'page', description, requires,                                  // requires: as above, per case
//       path: '/', status: 200, request: { headers }, minDuration,            // what autocannon sends
//       sides: { 'reply.htmlResponse': (context) => app, ... },               // an unlistened Fastify or Express
//                                                                             // app, or { port, close } of a server
//                                                                             // it started; or { requires, server }
//       ratios: [['reply.htmlResponse', 'fastify type().send', 0.95]],        // subject / baseline, target
//       metric: 'requests',                                                   // what ratios compare
//       measure: async ({ url, duration, settings, readRss }) => ({ figures }), // instead of autocannon,
//       columns: [['events', 'events/s']], rounds: 1,                         // with its own columns
//       limits: [['reply.fileResponse', 'rssAboveIdle', 64]]                  // figure must stay below
//     }]
//   }
const fs = require('node:fs')
const path = require('node:path')

const scenariosDir = path.join(__dirname, 'scenarios')

/** Scenario names (file names without `.js`), in a stable order. */
function scenarioNames () {
  return fs.readdirSync(scenariosDir).filter((name) => name.endsWith('.js')).map((name) => name.slice(0, -3)).sort()
}

/** A scenario by name, or any scenario file given by its path (ending in `.js`). */
function scenarioFile (name) {
  return name.endsWith('.js') ? path.resolve(name) : path.join(scenariosDir, name + '.js')
}

function casesOf (scenario) {
  return typeof scenario.cases === 'function' ? scenario.cases() : scenario.cases
}

/** A side is a function building its app, or { requires, server } when it needs more than its case. */
function normalizeSide (name, side) {
  return typeof side === 'function' ? { name, server: side, requires: {} } : { name, requires: {}, ...side }
}

function sidesOf (kase) {
  return Object.entries(kase.sides).map(([name, side]) => normalizeSide(name, side))
}

function findSide (scenario, caseName, sideName) {
  const kase = casesOf(scenario).find((c) => c.name === caseName)
  return sidesOf(kase).find((side) => side.name === sideName)
}

module.exports = { scenariosDir, scenarioNames, scenarioFile, casesOf, sidesOf, findSide }
