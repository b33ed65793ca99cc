import { Document, Packer, Paragraph } from 'docx'
import JSZip from 'jszip'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/** Evidence documents on a review's action: typed by their structure, kept as attachments, the form's token in its body. */

let t: TestApp
let f: Fixtures
let manager: TestAgent
let agencyLead: TestAgent
let reviewId: string
let actionId: string
let token: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const idFrom = (location: string | undefined, pattern: RegExp) => pattern.exec(location ?? '')![1]!
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  agencyLead = await signIn(t, f.users.AGENCY_LEAD)
  const managerToken = await csrfFor(manager)
  const post = (url: string, body: Record<string, string>) =>
    manager
      .post(url)
      .type('form')
      .send({ _csrf: managerToken, ...body })
  const created = await post('/reviews/new', {
    kind: 'RAPID_REVIEW',
    name: 'Rapid review RR-U1',
    'review-date-day': '3',
    'review-date-month': '2',
    'review-date-year': '2025',
  })
  reviewId = idFrom(created.headers.location, /^\/reviews\/([0-9a-f-]{36})$/)
  const finding = await post(`/reviews/${reviewId}/findings/new`, { number: '1', title: 'Information sharing', narrative: 'Fictional.' })
  const findingId = idFrom(finding.headers.location, /#finding-(.+)$/)
  const question = await post(`/reviews/${reviewId}/findings/${findingId}/questions/new`, { code: '1a', text: 'How will agencies share?' })
  const questionId = idFrom(question.headers.location, /#question-(.+)$/)
  const response = await post(`/reviews/${reviewId}/questions/${questionId}/responses/new`, {
    agency: f.agencyIds.csc,
    response: 'We will.',
  })
  const responseId = idFrom(response.headers.location, /#response-(.+)$/)
  const action = await post(`/reviews/${reviewId}/responses/${responseId}/actions/new`, { text: 'Update the procedure', rag: 'AMBER' })
  actionId = idFrom(action.headers.location, /actions\/(.+)$/)
  token = csrfFrom((await agencyLead.get(`/reviews/${reviewId}/actions/${actionId}`)).text)
}, 180_000)
afterAll(async () => t.close())

const url = () => `/reviews/${reviewId}/actions/${actionId}/evidence`
const send = (bytes: Buffer, name: string) => agencyLead.post(url()).field('_csrf', token).attach('document', bytes, name)
const documents = () =>
  asSystem((trx) =>
    trx.selectFrom('reviewEvidenceDocument').select(['id', 'fileName', 'fileType']).where('actionId', '=', actionId).execute(),
  )

describe('the evidence form', () => {
  it('sends its token in the body, not in the address', async () => {
    const page = await agencyLead.get(`/reviews/${reviewId}/actions/${actionId}`)
    const form = /<form[^>]*data-qa="evidence-form"[^>]*>/.exec(page.text)![0]
    expect(form).toContain(`action="${url()}"`)
    expect(form).not.toContain('_csrf')
    expect(page.text).toMatch(/<form[^>]*data-qa="evidence-form"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/)
  })

  it('refuses an upload without the token, with a wrong one, or with it only in the address, keeping nothing', async () => {
    const before = (await documents()).length
    expect((await agencyLead.post(url()).attach('document', PDF, 'minutes.pdf')).status).toBe(403)
    expect((await agencyLead.post(url()).field('_csrf', 'not-the-token').attach('document', PDF, 'minutes.pdf')).status).toBe(403)
    const inAddress = await agencyLead.post(`${url()}?_csrf=${encodeURIComponent(token)}`).attach('document', PDF, 'minutes.pdf')
    expect(inAddress.status).toBe(403)
    expect((await documents()).length).toBe(before)
  })

  it('takes a PDF with the token in the body and gives it back as an attachment', async () => {
    const res = await send(PDF, 'board minutes.pdf')
    expect(res.status).toBe(302)
    const doc = (await documents()).find((d) => d.fileName === 'board minutes.pdf')!
    const back = await agencyLead.get(`${url()}/${doc.id}`)
    expect(back.status).toBe(200)
    expect(back.headers['content-type']).toContain('application/pdf')
    expect(back.headers['content-disposition']).toBe('attachment; filename="board minutes.pdf"')
    expect(back.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('evidence typed by its structure', () => {
  it('refuses a zip holding "word/" but not a Word document’s parts, and a PDF with no end-of-file marker', async () => {
    const zip = new JSZip()
    zip.file('word/payload.html', '<script>alert(1)</script>')
    const fake = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
    const before = (await documents()).length
    for (const [bytes, name] of [
      [fake, 'minutes.docx'],
      [Buffer.from('%PDF-1.7\n<html><script>alert(1)</script></html>'), 'minutes.pdf'],
    ] as const) {
      const res = await send(bytes, name)
      expect(res.status, name).toBe(400)
      expect(res.text).toContain('The file must be a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file')
    }
    expect((await documents()).length).toBe(before)
  })

  it('takes a real Word document, served back as Word', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Minutes of the subgroup')] }] }))
    const res = await send(docx, 'subgroup minutes.docx')
    expect(res.status).toBe(302)
    const doc = (await documents()).find((d) => d.fileName === 'subgroup minutes.docx')!
    expect(doc.fileType).toBe('docx')
    const back = await agencyLead.get(`${url()}/${doc.id}`)
    expect(back.headers['content-type']).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(back.headers['content-disposition']).toMatch(/^attachment;/)
  })

  it('still refuses a file over 10 MB with its message', async () => {
    const big = await send(Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'big.pdf')
    expect(big.status).toBe(413)
    expect(big.text).toContain('The file must be smaller than 10 MB')
  })
})
