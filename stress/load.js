'use strict'
// The soak's load, in a process of its own so that the server's memory is measured alone:
// autocannon over a plan of requests, each answer checked against the status it must get.
// Forked with the options as JSON ({ url, connections, duration, plan: [[path, status, headers]] });
// sends back { total, average, statuses, unexpected, answered, errors, timeouts }.
const autocannon = require('autocannon')

async function run ({ url, connections, duration, plan }) {
  const statuses = {}
  const answered = {}
  let unexpected = 0
  const requests = plan.map(([path, status, headers = {}]) => ({
    method: 'GET',
    path,
    headers,
    onResponse: (got) => {
      statuses[got] = (statuses[got] ?? 0) + 1
      answered[path] = (answered[path] ?? 0) + 1
      if (got !== status) unexpected++
    }
  }))
  const result = await autocannon({ url, connections, duration, requests })
  return { total: result.requests.total, average: result.requests.average, statuses, unexpected, answered, errors: result.errors, timeouts: result.timeouts }
}

run(JSON.parse(process.argv[2])).then((summary) => process.send(summary, () => process.exit(0)))
