import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths.js'

const exec = promisify(execFile)
let dataDir: string

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/index.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hsb-cli-'))
})
afterAll(async () => rm(dataDir, { recursive: true, force: true }))

describe('the command line', () => {
  it('lists its commands, and each has --help', async () => {
    const top = await cli(['--help'])
    expect(top.code).toBe(0)
    for (const name of ['migrate', 'seed-demo', 'create-user', 'set-timescale', 'verify-audit', 'import-action-plan']) {
      expect(top.stdout).toContain(name)
      const one = await cli([name, '--help'])
      expect(one.code, name).toBe(0)
      expect(one.stdout).toContain(`Usage: npm run cli -- ${name}`)
    }
    expect((await cli(['no-such-command'])).code).toBe(2)
  }, 600_000)

  it('migrates, loads the demo partnership once, creates a user, and verifies the audit chain', async () => {
    const migrated = await cli(['migrate'])
    expect(migrated.stdout).toContain('Applied: 001_foundation.sql')
    expect((await cli(['migrate'])).stdout).toContain('up to date')
    expect((await cli(['seed-demo'])).stdout).toContain('Demo partnership loaded with 16 people')
    expect((await cli(['seed-demo'])).stdout).toContain('already there')

    const missing = await cli(['create-user', '--partnership', 'Northshire Safeguarding Children Partnership'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--agency')
    const weak = await cli(
      [
        'create-user',
        '--partnership',
        'Northshire Safeguarding Children Partnership',
        '--agency',
        'Partnership Business Unit',
        '--name',
        'Ada Admin',
        '--email',
        'ada.admin@northshire.example',
        '--role',
        'SYSTEM_ADMINISTRATOR',
      ],
      { HSB_NEW_USER_PASSWORD: 'password12345' },
    )
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('password: Password is too common')
    const created = await cli(
      [
        'create-user',
        '--partnership',
        'Northshire Safeguarding Children Partnership',
        '--agency',
        'Partnership Business Unit',
        '--name',
        'Ada Admin',
        '--email',
        'ada.admin@northshire.example',
        '--role',
        'SYSTEM_ADMINISTRATOR',
      ],
      { HSB_NEW_USER_PASSWORD: 'violet kettle harbour' },
    )
    expect(created.stderr).toBe('')
    expect(created.stdout).toMatch(/Created user [0-9a-f-]{36}/)

    const p = ['--partnership', 'Northshire Safeguarding Children Partnership']
    expect((await cli(['set-timescale', ...p, '--clock', 'STRATEGY_MEETING', '--length', '36'])).stdout).toContain(
      'STRATEGY_MEETING is now 36',
    )
    const badClock = await cli(['set-timescale', ...p, '--clock', 'NAP_TIME', '--length', '2'])
    expect([badClock.code, badClock.stderr]).toEqual([1, expect.stringContaining('Unknown clock: NAP_TIME')])
    const badLength = await cli(['set-timescale', ...p, '--clock', 'ASSESSMENT', '--length', '0'])
    expect(badLength.stderr).toContain('The length must be at least 1 working day')

    const verified = await cli(['verify-audit', '--seal'])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toMatch(/OK: \d+ sealed rows verified; 0 rows not yet sealed/)
  }, 900_000)
})
