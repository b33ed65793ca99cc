import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'

/**
 * Starting and stopping a server as a child process (the app, or the floor server), its
 * start-up time (launch to the first 200 from its health URL) and its memory (RSS from /proc).
 */
export type Running = { child: ChildProcess; pid: number; startupMs: number; baseUrl: string; stop(signal?: NodeJS.Signals): Promise<void> }

export async function waitFor(url: string, deadline: number, child?: ChildProcess): Promise<void> {
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

export async function startProcess(
  script: string,
  env: Record<string, string>,
  opts: { port: number; healthPath?: string; timeoutMs?: number; quiet?: boolean; args?: string[]; nodeArgs?: string[] },
): Promise<Running> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', ...(opts.nodeArgs ?? []), script, ...(opts.args ?? [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', opts.quiet === false ? 'inherit' : 'ignore', 'inherit'],
  })
  const baseUrl = `http://127.0.0.1:${opts.port}`
  try {
    await waitFor(`${baseUrl}${opts.healthPath ?? '/health'}`, started + (opts.timeoutMs ?? 180_000), child)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  const startupMs = Date.now() - started
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return {
    child,
    pid: child.pid!,
    startupMs,
    baseUrl,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks
 * of 10 ms on Linux). Per request, this is the figure least moved by other work on the machine.
 */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest seen. */
export function sampleRss(pid: number, everyMs = 250) {
  let peak = 0
  const timer = setInterval(() => {
    rssMb(pid)
      .then((mb) => (peak = Math.max(peak, mb)))
      .catch(() => {})
  }, everyMs)
  return { stop: () => (clearInterval(timer), peak) }
}
