import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { largeWorkbook } from '../../../test/fixtures/plans/large-workbook.js'
import { EXTRACT_LIMITS, readPlanFile, readPlanFileInThread, WEB_LIMITS } from './plan-import.files.js'

const csvOf = (rows: number) =>
  new TextEncoder().encode(
    ['Questions,Agency,Actions,RAG', ...Array.from({ length: rows }, (_, i) => `1a Question,Police,Action ${i},Green`)].join('\n'),
  )

describe('reading a plan file within limits', () => {
  it('refuses more than 5,000 rows through the web, stopping at the row after the limit, and takes them from the command line', async () => {
    const bytes = csvOf(120_000)
    expect(await readPlanFile(bytes)).toEqual({ ok: false, message: 'The file must have 5,000 rows or fewer.', rowsRead: 5001 })
    expect(await readPlanFile(csvOf(5000))).toMatchObject({ ok: false, rowsRead: 5001 })
    expect(await readPlanFile(csvOf(4999))).toMatchObject({ ok: true, kind: 'CSV' })
    const extract = await readPlanFile(bytes, EXTRACT_LIMITS)
    expect(extract.ok && extract.rows.length).toBe(120_001)
  })

  it('names the size limit that applies', async () => {
    expect(await readPlanFile(csvOf(10), { ...WEB_LIMITS, maxBytes: 100, maxRows: 10 })).toEqual({
      ok: false,
      message: 'The file is larger than 1 kB. Remove anything other than the action plan and try again.',
    })
    expect(await readPlanFile(new Uint8Array(5 * 1024 * 1024 + 1).fill(65))).toMatchObject({
      ok: false,
      message: expect.stringContaining('larger than 5 MB'),
    })
  })
})

describe('a workbook is counted while it is unpacked, before it is built', () => {
  it('refuses a 200,000-row workbook at the row after the limit, without reading the rest', async () => {
    const bytes = await largeWorkbook(200_000)
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024)
    expect(await readPlanFile(bytes)).toEqual({ ok: false, message: 'The file must have 5,000 rows or fewer.', rowsRead: 5001 })
  }, 60_000)

  it('reads the same workbook within the limit, and refuses one whose row numbers go past it', async () => {
    const small = await readPlanFile(await largeWorkbook(20))
    expect(small.ok && small.kind).toBe('XLSX')
    expect(small.ok && small.rows.length).toBe(20)
    expect(await readPlanFile(await largeWorkbook(3, { declaredRow: 200_000 }))).toEqual({
      ok: false,
      message: 'The file must have 5,000 rows or fewer.',
      rowsRead: 4,
    })
  })

  it('refuses a workbook that unpacks to more than the limit, whatever its directory declares', async () => {
    const zip = new JSZip()
    zip.file('xl/worksheets/sheet1.xml', ' '.repeat(3 * 1024 * 1024))
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
    expect(bytes.length).toBeLessThan(64 * 1024)
    expect(await readPlanFile(bytes, { ...WEB_LIMITS, maxUnpackedBytes: 1024 * 1024 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('unpacks to more than 1 MB'),
    })
  })

  it('refuses a zip that is not a workbook', async () => {
    expect(await readPlanFile(Buffer.from('PK\u0003\u0004 not really a zip', 'latin1'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('not an Excel workbook'),
    })
  })
})

describe('reading off the main thread', () => {
  it('reads in a worker thread, with the same answer', async () => {
    const bytes = await largeWorkbook(200_000)
    const refused = await readPlanFileInThread(bytes)
    expect(refused.threadId).toBeGreaterThan(0)
    expect(refused.file).toEqual({ ok: false, message: 'The file must have 5,000 rows or fewer.', rowsRead: 5001 })
    const read = await readPlanFileInThread(csvOf(3))
    expect(read.file).toMatchObject({ ok: true, kind: 'CSV' })
  }, 60_000)
})
