import { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'

/**
 * A small reader of zip files held in memory (Office files are zips): the entries its central
 * directory lists, found from the end-of-central-directory record, and each entry's content as a
 * stream, so a caller can stop part way. Enough to tell a Word document from any zip holding
 * "word/", and to count a workbook's rows before a spreadsheet library unpacks the whole file.
 */

export type ZipEntry = {
  name: string
  /** 0 stored, 8 deflated; anything else cannot be read here. */
  method: number
  compressedSize: number
  /** As the central directory declares it: a crafted file can lie, so readers count what they inflate. */
  uncompressedSize: number
  localHeaderOffset: number
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX_COMMENT = 0xffff

function view(bytes: Uint8Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const u16 = (at: number) => (at + 2 <= bytes.length ? dv.getUint16(at, true) : -1)
  const u32 = (at: number) => (at + 4 <= bytes.length ? dv.getUint32(at, true) : -1)
  const u64 = (at: number) => {
    if (at + 8 > bytes.length) return -1
    const value = dv.getBigUint64(at, true)
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value)
  }
  return { u16, u32, u64 }
}

/** The entries of a zip, or null when the bytes are not a well-formed zip (no end record, a directory out of bounds). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const { u16, u32, u64 } = view(bytes)
  let end = -1
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - MAX_COMMENT; at--) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === bytes.length) {
      end = at
      break
    }
  }
  if (end < 0) return null
  // Another end record inside this one's comment: readers disagree on which is the zip (refused).
  for (let at = end + 22; at + 4 <= bytes.length; at++) if (u32(at) === EOCD) return null
  let directoryEnd = end
  let count = u16(end + 10)
  let size = u32(end + 12)
  let offset = u32(end + 16)
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) return null
    const record = u64(locator + 8)
    if (record < 0 || u32(record) !== ZIP64_EOCD) return null
    count = u64(record + 32)
    size = u64(record + 40)
    offset = u64(record + 48)
    directoryEnd = record
  }
  // The central directory ends where its end record starts: nothing hidden between, nothing before it prepended.
  if (count < 0 || size < 0 || offset < 0 || offset + size !== directoryEnd) return null
  const entries: ZipEntry[] = []
  let at = offset
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || u32(at) !== CENTRAL) return null
    const nameLength = u16(at + 28)
    const extraLength = u16(at + 30)
    const commentLength = u16(at + 32)
    const next = at + 46 + nameLength + extraLength + commentLength
    if (next > offset + size) return null
    const entry: ZipEntry = {
      name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8'),
      method: u16(at + 10),
      compressedSize: u32(at + 20),
      uncompressedSize: u32(at + 24),
      localHeaderOffset: u32(at + 42),
    }
    // ZIP64: the real sizes and offset are in the extra field (id 1), in this order, for those set to all ones.
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
      let x = at + 46 + nameLength
      const extraEnd = x + extraLength
      while (x + 4 <= extraEnd && u16(x) !== 1) x += 4 + u16(x + 2)
      if (x + 4 > extraEnd) return null
      let field = x + 4
      const take = () => {
        const value = u64(field)
        field += 8
        return value
      }
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take()
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take()
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take()
      if (entry.uncompressedSize < 0 || entry.compressedSize < 0 || entry.localHeaderOffset < 0) return null
    }
    entries.push(entry)
    at = next
  }
  // One entry a name, and no absolute names: readers would otherwise each choose a different part.
  const names = new Set(entries.map((e) => e.name))
  if (names.size !== entries.length || entries.some((e) => e.name.startsWith('/'))) return null
  return entries
}

/** True when the zip's central directory lists every one of the names (exactly, case as written). */
export function zipHolds(bytes: Uint8Array, names: readonly string[]): boolean {
  const entries = zipEntries(bytes)
  if (!entries) return false
  const listed = new Set(entries.map((e) => e.name))
  return names.every((n) => listed.has(n))
}

/** An entry's content, inflated a chunk at a time (destroy the stream to stop); null when it cannot be read. */
export function zipEntryStream(bytes: Uint8Array, entry: ZipEntry): Readable | null {
  const { u16, u32 } = view(bytes)
  const at = entry.localHeaderOffset
  if (u32(at) !== LOCAL) return null
  const start = at + 30 + u16(at + 26) + u16(at + 28)
  const data = bytes.subarray(start, start + entry.compressedSize)
  if (start + entry.compressedSize > bytes.length) return null
  if (entry.method === 0) return Readable.from([Buffer.from(data)], { objectMode: false })
  if (entry.method !== 8) return null
  const inflate = createInflateRaw()
  inflate.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  return inflate
}
