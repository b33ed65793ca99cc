import { describe, expect, it } from 'vitest'
import { EXTRACT_LIMITS, readPlanFile } from './plan-import.files.js'

const csvOf = (rows: number) =>
  new TextEncoder().encode(
    ['Questions,Agency,Actions,RAG', ...Array.from({ length: rows }, (_, i) => `1a Question,Police,Action ${i},Green`)].join('\n'),
  )

describe('reading a plan file within limits', () => {
  it('refuses more than 5,000 rows through the web, and takes them from the command line', async () => {
    const bytes = csvOf(5000)
    expect(await readPlanFile(bytes)).toEqual({ ok: false, message: 'The file has more than 5,000 rows.' })
    const extract = await readPlanFile(bytes, EXTRACT_LIMITS)
    expect(extract.ok && extract.rows.length).toBe(5001)
  })

  it('names the size limit that applies', async () => {
    expect(await readPlanFile(csvOf(10), { maxBytes: 100, maxRows: 10 })).toEqual({
      ok: false,
      message: 'The file is larger than 1 kB. Remove anything other than the action plan and try again.',
    })
    expect(await readPlanFile(new Uint8Array(5 * 1024 * 1024 + 1).fill(65))).toMatchObject({
      ok: false,
      message: expect.stringContaining('larger than 5 MB'),
    })
  })
})
