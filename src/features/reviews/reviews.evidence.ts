import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { zipHolds } from '../../platform/files/zip.js'

/**
 * Evidence documents: which files are accepted (by their structure, not only their name), how
 * big, and where they are kept: in the database by default, or under EVIDENCE_DIR when set.
 */

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

export const EVIDENCE_TYPES = {
  pdf: { contentType: 'application/pdf', label: 'PDF' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
  png: { contentType: 'image/png', label: 'PNG image' },
  jpg: { contentType: 'image/jpeg', label: 'JPEG image' },
} as const
export type EvidenceType = keyof typeof EVIDENCE_TYPES

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b)
const ZIP = [0x50, 0x4b, 0x03, 0x04]
/** The parts an Office file cannot be without, as its zip's central directory lists them. */
const DOCX_PARTS = ['[Content_Types].xml', 'word/document.xml']
const XLSX_PARTS = ['[Content_Types].xml', 'xl/workbook.xml']
/** A PDF ends with its trailer's end-of-file marker; writers may add a line ending or a little padding after it. */
const PDF_TAIL_BYTES = 1024

/**
 * What the content really is, by its structure: a PDF starts with its header and ends with its
 * end-of-file marker; a Word or Excel file is a zip whose central directory lists the parts that
 * kind of file needs (not merely a name appearing somewhere in the bytes); images by their signature.
 */
export function sniffType(buf: Buffer): EvidenceType | null {
  if (buf.length < 4) return null
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-')
    return buf.subarray(Math.max(0, buf.length - PDF_TAIL_BYTES)).includes('%%EOF', 0, 'latin1') ? 'pdf' : null
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpg'
  if (startsWith(buf, ZIP)) {
    if (zipHolds(buf, DOCX_PARTS)) return 'docx'
    if (zipHolds(buf, XLSX_PARTS)) return 'xlsx'
  }
  return null
}

const extensionOf = (name: string): string => {
  const ext = path.extname(name).slice(1).toLowerCase()
  return ext === 'jpeg' ? 'jpg' : ext
}

/** A file name safe to keep and to send back in Content-Disposition: no paths, no control characters. */
export function safeFileName(name: string, type: EvidenceType): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFKC')
  const cleaned = base
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120)
  const stem = cleaned.replace(/\.[^.]*$/, '') || 'evidence'
  return `${stem}.${type}`
}

export type EvidenceCheck = { ok: true; type: EvidenceType; fileName: string } | { ok: false; error: string }

export function checkEvidenceFile(file: { originalname: string; size: number; buffer: Buffer } | undefined): EvidenceCheck {
  const allowed = 'The file must be a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file'
  if (!file) return { ok: false, error: 'Select a file' }
  if (file.size === 0 || file.buffer.length === 0) return { ok: false, error: 'The selected file is empty' }
  if (file.size > EVIDENCE_MAX_BYTES) return { ok: false, error: 'The file must be smaller than 10 MB' }
  const sniffed = sniffType(file.buffer)
  const ext = extensionOf(file.originalname)
  if (!sniffed || sniffed !== ext) return { ok: false, error: allowed }
  return { ok: true, type: sniffed, fileName: safeFileName(file.originalname, sniffed) }
}

export const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex')

/** Where documents go: a folder when EVIDENCE_DIR is configured, else the database. */
export function evidenceStore(dir: string | undefined) {
  const root = dir ? path.resolve(dir) : null
  return {
    inDatabase: !root,
    async put(partnershipId: string, content: Buffer): Promise<{ content: Buffer | null; storagePath: string | null }> {
      if (!root) return { content, storagePath: null }
      const relative = path.join(partnershipId, randomUUID())
      await mkdir(path.join(root, partnershipId), { recursive: true })
      await writeFile(path.join(root, relative), content, { flag: 'wx' })
      return { content: null, storagePath: relative }
    },
    async get(doc: { content: Buffer | null; storagePath: string | null }): Promise<Buffer> {
      if (doc.content) return doc.content
      if (!root || !doc.storagePath) throw new Error('Evidence document has no content')
      const full = path.resolve(root, doc.storagePath)
      if (!full.startsWith(root + path.sep)) throw new Error('Evidence path outside the store')
      return readFile(full)
    },
  }
}
