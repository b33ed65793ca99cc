import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths.js'

/** The rules that keep one way to act (ADR 0007), checked on the code as it is. */

const eslint = new ESLint({ cwd: ROOT })
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'hsb/boundaries').map((m) => m.message)
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? sources(path.join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? [path.join(dir, e.name)]
          : [],
    ),
  )
  return nested.flat()
}

describe('the boundary lint rule', () => {
  it('catches a feature reaching into another feature, a repository into another feature, and the platform into a feature', async () => {
    expect(
      await boundaryErrors(
        'src/features/board/planted.ts',
        "import { reviewsRepository } from '../reviews/reviews.repository.js'\nexport const x = reviewsRepository\n",
      ),
    ).toEqual(['Import the reviews feature through its index.ts, not ../reviews/reviews.repository.js.'])
    expect(
      await boundaryErrors(
        'src/features/board/planted.repository.ts',
        "import { reviewsModule } from '../reviews/index.js'\nexport const x = reviewsModule\n",
      ),
    ).toHaveLength(1)
    expect(
      await boundaryErrors(
        'src/platform/http/planted.ts',
        "import { caseKernel } from '../../features/cases/index.js'\nexport const x = caseKernel\n",
      ),
    ).toHaveLength(1)
    expect(
      await boundaryErrors(
        'src/demo/planted.ts',
        "import { casesRepository } from '../features/cases/cases.repository.js'\nexport const x = casesRepository\n",
      ),
    ).toHaveLength(1)
  })

  it('lets a feature use another through its index.ts, a repository take types from one, and the platform read its config', async () => {
    expect(
      await boundaryErrors(
        'src/features/board/planted.ts',
        "import { reviewsModule } from '../reviews/index.js'\nexport const x = reviewsModule\n",
      ),
    ).toEqual([])
    expect(
      await boundaryErrors(
        'src/features/board/planted.repository.ts',
        "import type { CaseStatus } from '../cases/index.js'\nexport type X = CaseStatus\n",
      ),
    ).toEqual([])
    expect(
      await boundaryErrors('src/platform/http/planted.ts', "import type { Config } from '../../config.js'\nexport type X = Config\n"),
    ).toEqual([])
  })
})

describe('one way to act', () => {
  it('writes case events and clocks only in the case kernel', async () => {
    const writes =
      /(insertInto|updateTable|deleteFrom)\(\s*'(caseEvent|caseClock)'|(INSERT INTO|UPDATE|DELETE FROM)\s+(case_event|case_clock)\b/
    const offenders: string[] = []
    for (const file of await sources('src')) {
      if (file.startsWith(path.join('src', 'features', 'cases'))) continue
      if (writes.test(await readFile(path.join(ROOT, file), 'utf8'))) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })

  it('has one refusal type and makes allowed and denied audit entries in one place', async () => {
    const refusals: string[] = []
    const outcomes: string[] = []
    for (const file of await sources('src')) {
      const text = await readFile(path.join(ROOT, file), 'utf8')
      if (/class \w*Refusal\b/.test(text)) refusals.push(file)
      // A value, not the column's type (`outcome: 'ALLOWED' | 'DENIED'` in the schema).
      if (/outcome:\s*(['"](ALLOWED|DENIED)['"](?!\s*\|)|\w+ \? ['"](ALLOWED|DENIED))/.test(text)) outcomes.push(file)
    }
    expect(refusals).toEqual([path.join('src', 'platform', 'access', 'refusal.ts')])
    expect(outcomes).toEqual([path.join('src', 'platform', 'audit', 'audit.repository.ts')])
  })
})
