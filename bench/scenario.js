'use strict'
// What a scenario file is, and how to read one. A scenario is one small file in bench/scenarios/:
//
//   module.exports = {
//     description: 'HTML string',
//     requires: { exports: [], decorators: ['htmlResponse'], modules: [] },  // optional: skip when missing
//     setup: async () => context, teardown: async (context) => {},             // optional, in the runner
//     cases: [{                                                                // or a function returning them
//       name: 'html', path: '/', status: 200, request: { headers },            // what the load generator sends
//       sides: { 'reply.htmlResponse': (context) => app, ... },                // built in the server child;
//                                                                              // or { requires, server }
//       ratios: [['reply.htmlResponse', 'fastify send', 0.95]],                // subject / baseline, target
//       metric: 'requests',                                                    // what ratios compare
//       measure, columns, rounds, limits                                       // optional: a custom probe
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
