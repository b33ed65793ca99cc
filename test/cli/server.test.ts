import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths.js'

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hsb-server-'))
})
afterAll(async () => rm(dataDir, { recursive: true, force: true }))

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += String(d)))
  child.stderr.on('data', (d) => (output += String(d)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

describe('the server process', () => {
  it('starts on an empty data folder with demo data, answers /health, and stops cleanly on SIGTERM', async () => {
    const port = 3170 + Math.floor(Math.random() * 20)
    const server = start({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' })
    const deadline = Date.now() + 90_000
    let health: Response | undefined
    while (Date.now() < deadline) {
      health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
      if (health?.status === 200) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(health?.status).toBe(200)
    expect(await health!.json()).toMatchObject({ status: 'UP' })
    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`)
    expect(await signIn.text()).toContain('data-qa="demo-accounts"')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('demo mode: demo partnership loaded')
    expect(server.output()).toContain('"msg":"stopped"')
    // Logs hold ids, never people's names or email addresses.
    expect(server.output()).not.toContain('northshire.example')
    expect(server.output()).not.toContain('Aisha')
  }, 120_000)

  it('refuses to start in demo mode with NODE_ENV=production, naming the problem', async () => {
    const server = start({ DATA_DIR: dataDir, NODE_ENV: 'production' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('Demo mode cannot run with NODE_ENV=production')
  }, 30_000)

  it('refuses to start without a session secret outside demo mode', async () => {
    const server = start({ DATA_DIR: dataDir, DEMO_MODE: 'false' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('SESSION_SECRET is required')
  }, 30_000)
})
