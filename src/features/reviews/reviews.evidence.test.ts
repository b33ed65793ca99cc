import { Document, Packer, Paragraph } from 'docx'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { checkEvidenceFile, sniffType } from './reviews.evidence.js'

const zipOf = async (files: Record<string, string>) => {
  const zip = new JSZip()
  for (const [name, content] of Object.entries(files)) zip.file(name, content)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

const realDocx = () => Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Minutes of the subgroup')] }] }))
async function realXlsx() {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('Register').addRow(['Attended', 12])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('evidence is typed by its structure, not its first bytes', () => {
  it('takes a real Word document and a real workbook', async () => {
    expect(sniffType(await realDocx())).toBe('docx')
    expect(sniffType(await realXlsx())).toBe('xlsx')
    const docx = await realDocx()
    expect(checkEvidenceFile({ originalname: 'minutes.docx', size: docx.length, buffer: docx })).toMatchObject({ ok: true, type: 'docx' })
  })

  it('refuses a zip that merely holds a "word/" or "xl/" entry, or names the parts only in its bytes', async () => {
    const wordFolder = await zipOf({ 'word/': '', 'word/payload.bin': 'MZ' })
    expect(sniffType(wordFolder)).toBeNull()
    expect(checkEvidenceFile({ originalname: 'minutes.docx', size: wordFolder.length, buffer: wordFolder })).toEqual({
      ok: false,
      error: 'The file must be a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file',
    })
    expect(sniffType(await zipOf({ 'word/document.xml': '<w:document/>' }))).toBeNull()
    expect(sniffType(await zipOf({ 'xl/': '', 'xl/workbook.bin': '' }))).toBeNull()
    expect(sniffType(Buffer.from('PK\u0003\u0004....[Content_Types].xml word/document.xml', 'latin1'))).toBeNull()
    expect(sniffType(Buffer.from('PK\u0003\u0004....[Content_Types].xml xl/workbook.xml', 'latin1'))).toBeNull()
  })

  it('takes a PDF only with its end-of-file marker near its end', () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')
    expect(sniffType(pdf)).toBe('pdf')
    expect(sniffType(Buffer.from('%PDF-1.7\n<script>alert(1)</script>'))).toBeNull()
    // The marker early on, then more than a kilobyte of anything: not a PDF's trailer.
    expect(sniffType(Buffer.concat([pdf, Buffer.alloc(2048, 'x')]))).toBeNull()
    expect(sniffType(Buffer.concat([pdf, Buffer.alloc(500, ' ')]))).toBe('pdf')
  })
})
