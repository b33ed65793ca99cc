import { sql } from 'kysely'
import type { Trx } from '../../platform/db/transaction.js'

/**
 * What the SSD import (features/ssd-import) needs of the child record, in the importer's
 * transaction: the children who may be the people in an extract, and writing the ones it brings
 * in. The matching itself is the "find before create" rules' (identifiers.rules.ts: `matchScore`).
 */

/** A child as the import compares and writes it. */
export type ImportedChild = {
  givenNames: string
  familyName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
  gender: string | null
  ethnicity: string | null
  nhsNumber: string | null
  upn: string | null
  /** The council's person id (shown as the local case number). */
  localCaseId: string
}

export type ExistingChild = {
  id: string
  givenNames: string
  familyName: string
  dateOfBirth: string
  nhsNumber: string | null
  upn: string | null
  localCaseId: string | null
}

/**
 * The partnership's children who share a date of birth, an NHS number, a UPN or the council's
 * person id with any of these people: every record the matching rules could call a match.
 */
export async function childrenWhoMayBe(
  trx: Trx,
  partnershipId: string,
  people: readonly { dateOfBirth: string; nhsNumber: string | null; upn: string | null; localCaseId: string }[],
): Promise<ExistingChild[]> {
  if (people.length === 0) return []
  const dobs = [...new Set(people.map((p) => p.dateOfBirth))]
  const nhs = [...new Set(people.flatMap((p) => (p.nhsNumber ? [p.nhsNumber] : [])))]
  const upns = [...new Set(people.flatMap((p) => (p.upn ? [p.upn] : [])))]
  const ids = [...new Set(people.map((p) => p.localCaseId.toUpperCase()))]
  const rows = await sql<ExistingChild>`
    SELECT id, given_names AS "givenNames", family_name AS "familyName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
           nhs_number AS "nhsNumber", upn, local_case_id AS "localCaseId"
      FROM child
     WHERE partnership_id = ${partnershipId}
       AND (date_of_birth = ANY(${dobs}::date[]) OR nhs_number = ANY(${nhs}::text[]) OR upn = ANY(${upns}::text[])
            OR upper(local_case_id) = ANY(${ids}::text[]))`.execute(trx)
  return rows.rows
}

/** New children, with the ids the importer chose, in one statement per 500. */
export async function insertImportedChildren(
  trx: Trx,
  partnershipId: string,
  createdBy: string | null,
  rows: readonly (ImportedChild & { id: string })[],
): Promise<void> {
  for (let at = 0; at < rows.length; at += 500)
    await trx
      .insertInto('child')
      .values(rows.slice(at, at + 500).map((r) => ({ ...r, partnershipId, createdBy })))
      .execute()
}

/** Children whose council record changed since the last import: the new values, the version moved on. */
export async function updateImportedChildren(trx: Trx, rows: readonly (ImportedChild & { id: string })[]): Promise<void> {
  for (const { id, ...r } of rows)
    await trx
      .updateTable('child')
      .set((eb) => ({ ...r, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute()
}
