import ExcelJS from 'exceljs'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegisteredRoute } from '../../src/platform/http/routes.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { keyOf } from './route-params.js'

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
    const created = await reviews.createReview(manager, { kind: 'RAPID_REVIEW', name: '=HYPERLINK("http://example.invalid","review")' }, 'formulas')
    if (!created.ok) throw new Error('review not created')
    const action = { text: '+44 call now', ragKey: 'RED', constraints: '-1+1', targetText: '@SUM(A1)', evidence: '=1+1', leadText: '\t=cmd', desiredOutcome: '=IMPORTXML("x")' }
    const plan = {
      findings: [{ number: '1', title: '=2+2', narrative: '@narrative', questions: [{ code: '1a', text: '=question()', responses: [{ agencyName: 'Formula Test Agency', response: '-response', actions: [action] }] }] }],
    }
    await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) => reviews.importPlan(trx, { partnershipId: f.partnershipId, reviewId: created.id, actorId: manager.id, plan }))
    return { path: `/reviews/${created.id}/report.xlsx`, agent: await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER) }
  },
}

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
    expect(unescapedCells(csvCells('name,note\r\n"=HYPERLINK(""http://x"")",\'=1+1\r\n+44,@SUM(A1)\r\n-2,ok\r\n'))).toEqual(['=HYPERLINK("http://x")', '+44', '@SUM(A1)', '-2'])
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
      const res = await agent.get(path).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
      expect(res.status, keyOf(route)).toBe(200)
      const body = res.body as Buffer
      if (route.path.endsWith('.csv')) expect(unescapedCells(csvCells(body.toString('utf8'))), keyOf(route)).toEqual([])
      else {
        const cells = await xlsxCells(body)
        expect(cells.formulas, keyOf(route)).toBe(0)
        expect(unescapedCells(cells.text), keyOf(route)).toEqual([])
      }
    }
  })
})
