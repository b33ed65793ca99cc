import ExcelJS from 'exceljs'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegisteredRoute } from '../../src/platform/http/routes.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { keyOf } from './route-params.js'
import { financialYear, financialYearOf } from '../../src/features/insight/insight.query.js'
import { londonDate } from '../../src/platform/clocks/london-time.js'
import { addKnownCase } from '../support/insight-data.js'

/**
 * Spreadsheet formula escaping in every export: every registered route ending in .csv or .xlsx
 * is fetched with records whose text starts with = + - @ (made by the export's provider below)
 * and no cell may start with one of them unescaped (CSV: the value prefixed with ' as OWASP
 * recommends; XLSX: a string cell, not a formula, and the same prefix).
 *
 * A feature that adds an export adds a provider to EXPORTS: how to make a record with
 * formula-like text and which person downloads it. An export without one fails this test.
 */
/** e.g. sign in with signIn (test/support/app.ts), create the record through the feature's service, return the path. */
type Provider = (t: TestApp, f: Fixtures) => Promise<{ path: string; agent: TestAgent }>
const EXPORTS: Record<string, Provider> = {
  'GET /reviews/:reviewId/report.xlsx': async (t, f) => {
    const manager = (await t.services.auth.currentUser(f.users.PARTNERSHIP_BUSINESS_MANAGER.id))!
    const reviews = t.services.reviews.service
    const created = await reviews.createReview(
      manager,
      { kind: 'RAPID_REVIEW', name: '=HYPERLINK("http://example.invalid","review")' },
      'formulas',
    )
    if (!created.ok) throw new Error('review not created')
    const action = {
      text: '+44 call now',
      ragKey: 'RED',
      constraints: '-1+1',
      targetText: '@SUM(A1)',
      evidence: '=1+1',
      leadText: '\t=cmd',
      desiredOutcome: '=IMPORTXML("x")',
    }
    const plan = {
      findings: [
        {
          number: '1',
          title: '=2+2',
          narrative: '@narrative',
          questions: [
            {
              code: '1a',
              text: '=question()',
              responses: [{ agencyName: 'Formula Test Agency', response: '-response', actions: [action] }],
            },
          ],
        },
      ],
    }
    await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      reviews.importPlan(trx, { partnershipId: f.partnershipId, reviewId: created.id, actorId: manager.id, plan }),
    )
    return { path: `/reviews/${created.id}/report.xlsx`, agent: await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER) }
  },
}

/**
 * Insight's exports: an agency, a provider, a practitioner's agency and a case factor whose names
 * look like formulas, in the last financial year (made once for all of insight's exports).
 */
let insightData: Promise<{ period: string }> | undefined
function insightFormulas(t: TestApp, f: Fixtures): Promise<{ period: string }> {
  insightData ??= (async () => {
    const system = { system: true as const, partnershipId: f.partnershipId }
    const agencyId = await t.services.admin.service.createAgency(system, {
      name: '=HYPERLINK("http://example.invalid","agency")',
      kind: 'EDUCATION',
    })
    const year = financialYearOf(londonDate(new Date())) - 1
    await addKnownCase(t.services, f.partnershipId, f.users.HSB_LEAD.id, {
      received: `${year}-06-01T09:00:00Z`,
      dateOfBirth: '2012-01-01',
      referrerAgencyId: agencyId,
      rating: 'AMBER',
      assessment: {
        route: 'WELFARE',
        startedAt: `${year}-06-10T09:00:00Z`,
        completedAt: `${year}-07-10T09:00:00Z`,
        levelOfConcern: 'HIGH',
      },
      plan: { createdAt: `${year}-07-20T09:00:00Z`, providers: ['@SUM(A1) provider'] },
    })
    const teamId = await t.services.admin.service.createTeam(system, { agencyId, name: '+team' })
    const user = await t.services.admin.service.createUser(
      system,
      {
        displayName: 'Formula Trained',
        email: `formula.${Date.now()}@fixture.example`,
        agencyId,
        roles: ['AIM_PRACTITIONER'],
        teamIds: [teamId],
        password: 'granite-orchard-lantern-42',
      },
      null,
    )
    if (!user.ok) throw new Error('user not created')
    const trained = await t.services.admin.service.recordTraining(
      system,
      user.value,
      { model: 'AIM3', completedOn: `${year}-01-10`, expiresOn: null },
      null,
    )
    if (!trained.ok) throw new Error('training not recorded')
    const lead = (await t.services.auth.currentUser(f.users.HSB_LEAD.id))!
    const factor = await t.services.insight.service.workforce.factors.addType(lead, '=1+1 factor', 'formulas')
    if (!factor.ok) throw new Error('factor not added')
    return { period: financialYear(year).key }
  })()
  return insightData
}
/** The HSB lead, signed in once (a second sign-in in the same 30 seconds waits for the next code). */
let insightAgent: Promise<TestAgent> | undefined
const insightExport =
  (path: (period: string) => string): Provider =>
  async (t, f) => {
    const { period } = await insightFormulas(t, f)
    insightAgent ??= signIn(t, f.users.HSB_LEAD)
    return { path: path(period), agent: await insightAgent }
  }
Object.assign(EXPORTS, {
  'GET /insight/figures/:figure.csv': insightExport((p) => `/insight/figures/all.csv?period=${p}`),
  'GET /insight/figures/:figure.xlsx': insightExport((p) => `/insight/figures/all.xlsx?period=${p}`),
  'GET /insight/workforce/figures/:figure.csv': insightExport(() => '/insight/workforce/figures/trained-by-agency.csv'),
  'GET /insight/workforce/figures/:figure.xlsx': insightExport(() => '/insight/workforce/figures/trained-by-agency.xlsx'),
  'GET /insight/case-factors/figures/:figure.csv': insightExport((p) => `/insight/case-factors/figures/case-factors.csv?period=${p}`),
  'GET /insight/case-factors/figures/:figure.xlsx': insightExport((p) => `/insight/case-factors/figures/case-factors.xlsx?period=${p}`),
  'GET /insight/jsna.csv': insightExport((p) => `/insight/jsna.csv?period=${p}`),
} satisfies Record<string, Provider>)

export const DANGEROUS = /^[=+\-@\t\r]/
export function unescapedCells(cells: readonly string[]): string[] {
  return cells.filter((c) => DANGEROUS.test(c))
}

/** The cells of a CSV document (RFC 4180 quoting). */
export function csvCells(text: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',' || ch === '\n') {
      cells.push(cell)
      cell = ''
    } else if (ch !== '\r') cell += ch
  }
  if (cell) cells.push(cell)
  return cells
}

export async function xlsxCells(buffer: Buffer): Promise<{ text: string[]; formulas: number }> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(buffer as unknown as ArrayBuffer)
  const text: string[] = []
  let formulas = 0
  book.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++
        else text.push(cell.text)
      }),
    ),
  )
  return { text, formulas }
}

let t: TestApp
let f: Fixtures
beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
}, 120_000)
afterAll(async () => t.close())

const isExport = (r: RegisteredRoute) => r.method === 'get' && /\.(csv|xlsx)$/.test(r.path)

describe('spreadsheet formula escaping', () => {
  it('the checks themselves: a formula-like cell is caught, an escaped one is not', async () => {
    expect(unescapedCells(csvCells('name,note\r\n"=HYPERLINK(""http://x"")",\'=1+1\r\n+44,@SUM(A1)\r\n-2,ok\r\n'))).toEqual([
      '=HYPERLINK("http://x")',
      '+44',
      '@SUM(A1)',
      '-2',
    ])
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('x')
    sheet.addRow(["'=1+1", 'plain'])
    sheet.addRow([{ formula: 'SUM(1,1)' }, '=2'])
    const cells = await xlsxCells(Buffer.from(await book.xlsx.writeBuffer()))
    expect(cells.formulas).toBe(1)
    expect(unescapedCells(cells.text)).toEqual(['=2'])
  })

  it('every .csv and .xlsx export escapes formula-like text (each export has a provider)', async () => {
    const exports = t.registry.routes.filter(isExport)
    const withoutProvider = exports.map(keyOf).filter((k) => !EXPORTS[k])
    expect(withoutProvider).toEqual([])
    for (const route of exports) {
      const { path, agent } = await EXPORTS[keyOf(route)]!(t, f)
      const res = await agent
        .get(path)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = []
          r.on('data', (c: Buffer) => chunks.push(c))
          r.on('end', () => cb(null, Buffer.concat(chunks)))
        })
      expect(res.status, keyOf(route)).toBe(200)
      const body = res.body as Buffer
      let cells: string[]
      if (route.path.endsWith('.csv')) cells = csvCells(body.toString('utf8'))
      else {
        const book = await xlsxCells(body)
        expect(book.formulas, keyOf(route)).toBe(0)
        cells = book.text
      }
      expect(unescapedCells(cells), keyOf(route)).toEqual([])
      // The formula-like text did reach the export, escaped (not left out).
      expect(
        cells.some((c) => /^'[=+\-@]/.test(c)),
        `${keyOf(route)} has an escaped cell`,
      ).toBe(true)
    }
  }, 180_000)
})
