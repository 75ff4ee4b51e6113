'use strict'
// nginx as a bench side, where it is installed: one master and one worker serving one file with
// sendfile, configured in a temp dir (pid, logs and temp paths there), on a free 127.0.0.1 port,
// as the current user. The side's server process starts it, so it runs pinned like the Node
// servers (CPU affinity is inherited), and stops it when it exits.
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')

const SEARCH_PATH = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']

/** The nginx binary's path, or undefined when it is not installed. */
function findNginx () {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...SEARCH_PATH].filter(Boolean)
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nginx')
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/** `apt-get install nginx-light` (asked for with --install-nginx only); resolves the binary's path or rejects with the reason. */
function installNginx (log) {
  if (findNginx() !== undefined) return findNginx()
  const asRoot = process.getuid?.() === 0
  const [command, prefix] = asRoot ? ['apt-get', []] : ['sudo', ['apt-get']]
  log(`installing nginx-light: ${asRoot ? '' : 'sudo '}apt-get update && apt-get install -y nginx-light`)
  for (const args of [['update'], ['install', '-y', 'nginx-light']]) {
    const result = spawnSync(command, [...prefix, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    if (result.error !== undefined || result.status !== 0) throw new Error(`apt-get ${args[0]} failed: nginx sides will be skipped`)
  }
  return findNginx()
}

/** A free TCP port on 127.0.0.1 (nginx cannot listen on port 0 and report it). */
function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function configuration ({ prefix, root, file, port }) {
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};\n` : ''
  return `${user}worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path ${prefix}/client-body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = / { rewrite ^ /${file} break; }
  }
}
`
}

/** Can this connect to the port yet? */
function accepts (port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
    socket.on('error', () => resolve(false))
  })
}

/**
 * Starts nginx serving `root/file` on GET /; resolves { port, close } once it accepts
 * connections (bounded wait), rejects with nginx's error log otherwise.
 */
async function startNginx ({ root, file }) {
  const binary = findNginx()
  if (binary === undefined) throw new Error('nginx is not installed')
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'fastify-responses-bench-nginx-'))
  const port = await freePort()
  const conf = path.join(prefix, 'nginx.conf')
  fs.writeFileSync(conf, configuration({ prefix, root, file, port }))
  const child = spawn(binary, ['-p', prefix, '-e', path.join(prefix, 'error.log'), '-c', conf], { stdio: 'ignore' })
  const close = () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    fs.rmSync(prefix, { recursive: true, force: true })
  }
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    if (await accepts(port)) return { port, close }
    await sleep(20)
  }
  const errors = fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') : ''
  close()
  throw new Error(`nginx did not start: ${errors.trim() || 'no error logged'}`)
}

module.exports = { findNginx, installNginx, startNginx, configuration }
