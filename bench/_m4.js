const p = require('./payloads.js')
const { projectionFor } = require('../dist/lib/json-fast.js')
let sink = 0
function bench(fn, data, ms=300){ let best=0; for (let r=0;r<7;r++){ let n=0; const s=performance.now(), end=s+ms; while(performance.now()<end){ for(let i=0;i<10;i++){ sink += Buffer.byteLength(fn(data)); n++ } } best=Math.max(best,1000*n/(performance.now()-s)) } return best }
function compileCheck(schema) {
  const helpers = []; let c = 0
  function check(node) { // returns helper name
    const name = 'c' + (c++)
    if (node.type === 'object') {
      const keys = Object.keys(node.properties)
      const nested = keys.filter(k => ['object','array'].includes(node.properties[k].type)).map(k => `${check(node.properties[k])}(v[${JSON.stringify(k)}])`)
      helpers.push(`function ${name}(v){ if (v === null || typeof v !== 'object') return true; for (const k in v) { switch (k) { ${keys.map(k=>`case ${JSON.stringify(k)}:`).join(' ')} break; default: return false } } return ${nested.length? nested.join(' && ') : 'true'} }`)
    } else if (node.type === 'array') {
      const item = check(node.items)
      helpers.push(`function ${name}(v){ if (!Array.isArray(v)) return true; for (let i = 0; i < v.length; i++) if (!${item}(v[i])) return false; return true }`)
    } else helpers.push(`function ${name}(v){ return true }`)
    return name
  }
  const top = check(schema)
  return new Function(helpers.join('\n') + `\nreturn ${top}`)()
}
for (const k of ['list', 'nested']) {
  const { data, schema } = p[k]
  const check = compileCheck(schema); const proj = projectionFor(schema)
  const viaCheck = (d) => check(d) ? JSON.stringify(d) : proj(d)
  console.log(k, check(data), 'stringify', bench(JSON.stringify, data)|0, 'proj', bench(proj, data)|0, 'check+stringify', bench(viaCheck, data)|0, 'check only', bench((d) => String(check(d)), data)|0)
}
