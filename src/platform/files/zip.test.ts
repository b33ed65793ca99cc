import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { zipEntries, zipEntryStream, zipHolds } from './zip.js'

async function zipOf(files: Record<string, string>, options: { comment?: string; compression?: 'STORE' | 'DEFLATE' } = {}) {
  const zip = new JSZip()
  for (const [name, content] of Object.entries(files)) zip.file(name, content)
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: options.compression ?? 'DEFLATE',
    ...(options.comment ? { comment: options.comment } : {}),
  })
}

async function textOf(bytes: Uint8Array, name: string): Promise<string> {
  const entry = zipEntries(bytes)!.find((e) => e.name === name)!
  const chunks: Buffer[] = []
  for await (const chunk of zipEntryStream(bytes, entry)!) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

describe('reading a zip from its central directory', () => {
  it('lists the entries and inflates one, stored or deflated, with a comment after the end record', async () => {
    for (const compression of ['STORE', 'DEFLATE'] as const) {
      const bytes = await zipOf(
        { '[Content_Types].xml': '<Types/>', 'word/document.xml': 'x'.repeat(10_000) },
        { compression, comment: 'a note' },
      )
      expect(zipEntries(bytes)!.map((e) => e.name)).toEqual(['[Content_Types].xml', 'word/', 'word/document.xml'])
      expect(await textOf(bytes, 'word/document.xml')).toBe('x'.repeat(10_000))
      expect(zipHolds(bytes, ['[Content_Types].xml', 'word/document.xml'])).toBe(true)
      expect(zipHolds(bytes, ['xl/workbook.xml'])).toBe(false)
    }
  })

  it('does not take a name that only appears in the bytes, nor a file that is not a zip', async () => {
    const bytes = await zipOf({ 'word/': '', 'notes.txt': 'word/document.xml [Content_Types].xml' }, { compression: 'STORE' })
    expect(zipHolds(bytes, ['[Content_Types].xml', 'word/document.xml'])).toBe(false)
    expect(zipEntries(Buffer.from('PK\u0003\u0004 word/document.xml [Content_Types].xml', 'latin1'))).toBeNull()
    expect(zipEntries(new Uint8Array(0))).toBeNull()
    // A truncated zip: its end record is gone.
    expect(zipEntries(bytes.subarray(0, bytes.length - 10))).toBeNull()
  })

  it('refuses a central directory that points outside the file', async () => {
    const bytes = Buffer.from(await zipOf({ 'a.txt': 'a' }))
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    bytes.writeUInt32LE(bytes.length + 100, end + 16)
    expect(zipEntries(bytes)).toBeNull()
  })

  it('refuses a zip other readers would read differently: a second end record, bytes before it, a name twice', async () => {
    // A fake end record inside the real one's comment (another reader takes the last one it finds).
    const plain = await zipOf({ 'a.txt': 'a' })
    const fakeEnd = Buffer.alloc(22)
    fakeEnd.writeUInt32LE(0x06054b50, 0)
    expect(zipEntries(await zipOf({ 'a.txt': 'a' }, { comment: fakeEnd.toString('latin1') }))).toBeNull()
    // Bytes prepended: the directory no longer ends where its end record starts.
    expect(zipEntries(Buffer.concat([Buffer.from('junk-before-the-zip'), plain]))).toBeNull()
    // The same name listed twice (the first entry's name rewritten to the second's).
    const twice = Buffer.from(await zipOf({ 'a.txt': 'a', 'b.txt': 'b' }, { compression: 'STORE' }))
    const central = twice.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    twice.write('b', central + 46, 'latin1')
    expect(zipEntries(twice)).toBeNull()
    expect(zipEntries(plain)).not.toBeNull()
  })
})
