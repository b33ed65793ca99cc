import { randomUUID } from 'node:crypto'
import { auditEntry, type AuditRepository, type AuditSubject } from '../../platform/audit/audit.repository.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import type { CaseKernel, ImportedEpisode } from '../cases/index.js'
import {
  childrenWhoMayBe,
  insertImportedChildren,
  matchScore,
  matchStrength,
  updateImportedChildren,
  type ExistingChild,
  type ImportedChild,
} from '../children/index.js'
import { importStrategyDiscussions } from '../meetings/index.js'
import { insertImportedRequests } from '../referrals/index.js'
import { ssdImportRepository, type StagedRow } from './ssd-import.repository.js'
import {
  agencyKindOfSource,
  factorCodes,
  financialYearOf,
  isSelected,
  planEpisode,
  rowHash,
  type Selection,
  type StagedEpisode,
} from './ssd-import.rules.js'
import { exportChildren } from './ssd-export.repository.js'
import { ssdCsvFiles } from './ssd-export.csv.js'
import { dfePayload, validatePayload } from './ssd-export.payload.js'
import { readExtract, type ExtractLimits } from './ssd.read.js'
import { personIdOf, rowKeyOf, type SsdTableName } from './ssd.spec.js'
import { ethnicityOf, personGenderOf } from './ssd.values.js'

/**
 * Bringing a partnership's children and their history in from the council's case system as SSD
 * extracts (docs/ssd-import.md). Three steps: `stage` streams the files into `ssd_staged_row`
 * (rejected rows and warnings reported, never half-read), `run` works out what the extract means
 * (who is who, which episodes, what each becomes) and writes it, or as a dry run writes it and
 * rolls it back, so a dry run and the real run cannot disagree. Everything imported is audited
 * as an import by the person who ran it.
 */

export type Importer = { partnershipId: string; userId: string | null; requestId: string | null }
/** A person's proposed match: the same child as an existing record or as another person in the extract, or a separate child. */
export type MatchDecision = 'SAME' | 'SEPARATE'
export type RunOptions = { selection: Selection; decisions: Readonly<Record<string, MatchDecision>>; dryRun: boolean }

export type Problem = { file: string; row: number; reason: string }
export type Reading = {
  files: string[]
  ignored: string[]
  rows: number
  rejected: Problem[]
  rejectedCount: number
  warnings: string[]
  warningCount: number
  laCodes: string[]
}

export type ProposedMatch = {
  personId: string
  /** An existing child in the service, or another person in the same extract. */
  with: { childId: string; localCaseId: string | null } | { personId: string }
  strength: string
  reasons: string[]
}

export type Summary = {
  importId: string
  dryRun: boolean
  children: {
    found: number
    new: number
    matched: number
    held: number
    unchanged: number
    updated: number
    withoutSelectedEpisodes: number
  }
  proposedMatches: ProposedMatch[]
  episodes: { found: number; selected: number; new: number; updated: number; unchanged: number }
  referralsByFinancialYear: Record<string, number>
  strategyDiscussionsByFinancialYear: Record<string, number>
  assessments: number
  contacts: number
  rejected: Problem[]
  rejectedCount: number
  warnings: string[]
  warningCount: number
  created: { children: number; cases: number; requests: number; strategyDiscussions: number; events: number }
}

export class ImportRefused extends Error {}

const LISTED = 200
/** How the reader says an optional table is not in the extract (ssd.read.ts). */
const NOT_IN_EXTRACT = 'is not in the extract: nothing of it is imported'
/** How long an uploaded extract waits to be imported before its rows are deleted (at the next upload). */
export const STAGED_FOR_DAYS = 7
/** A match as strong as this is offered (the find-before-create rules' "high": same date of birth and names alike, or the same identifier). */
const OFFERED_FROM = 0.8

/** `batch`: people (and staged rows) per batch: 1,000; smaller in tests that cross batches. */
type Deps = { db: Db; audit: AuditRepository; cases: CaseKernel; now?: () => Date; batch?: number }

export function ssdImportService({ db, audit, cases, now = () => new Date(), batch: BATCH = 1000 }: Deps) {
  const repo = ssdImportRepository()
  /** Each child in an export, audited as read (one statement per 1,000). */
  async function exportedChildren(
    trx: Trx,
    actor: { id: string | null; partnershipId: string },
    requestId: string | null,
    childIds: readonly string[],
  ) {
    for (let i = 0; i < childIds.length; i += 1000)
      await audit.recordMany(
        trx,
        childIds
          .slice(i, i + 1000)
          .map((id) => auditEntry(actor, { action: 'child:export', recordType: 'child', recordId: id }, true, requestId)),
      )
  }

  /** Streams the extract into staging. Refused (nothing kept) for an extract over the limits or from another local authority. */
  async function stage(
    importer: Importer,
    source: { dir: string } | { zip: Uint8Array },
    sourceName: string,
    options: { laCode?: string | null; limits?: Partial<ExtractLimits> } = {},
  ): Promise<{ importId: string; reading: Reading }> {
    const partnership = await transaction(db, { partnershipId: importer.partnershipId }, (trx) =>
      repo.partnership(trx, importer.partnershipId),
    )
    const laCode = options.laCode?.trim() || null
    if (laCode && partnership.laCodes.length && !partnership.laCodes.includes(laCode))
      throw new ImportRefused(
        `This extract is from local authority ${laCode}; ${partnership.name} is local authority ${partnership.laCodes.join(', ')}. Nothing was imported.`,
      )
    // An extract uploaded and never imported does not keep children's details here for long.
    const importId = await transaction(db, { partnershipId: importer.partnershipId }, async (trx) => {
      await repo.discardStale(trx, importer.partnershipId, new Date(now().getTime() - STAGED_FOR_DAYS * 86_400_000))
      return repo.createRun(trx, { partnershipId: importer.partnershipId, runBy: importer.userId, sourceName })
    })
    const reading: Reading = {
      files: [],
      ignored: [],
      rows: 0,
      rejected: [],
      rejectedCount: 0,
      warnings: [],
      warningCount: 0,
      laCodes: laCode ? [laCode] : [],
    }
    const reject = (p: Problem) => {
      reading.rejectedCount++
      if (reading.rejected.length < LISTED) reading.rejected.push(p)
    }
    const warn = (w: string) => {
      reading.warningCount++
      if (reading.warnings.length < LISTED) reading.warnings.push(w)
    }
    const missing: string[] = []
    let batch: (StagedRow & { importId: string; partnershipId: string })[] = []
    const flush = async () => {
      const rows = batch
      batch = []
      await transaction(db, { partnershipId: importer.partnershipId }, (trx) => repo.stage(trx, rows))
    }
    try {
      for await (const event of readExtract(source, options.limits)) {
        if (event.kind === 'file-done') reading.files.push(event.file)
        else if (event.kind === 'ignored') reading.ignored.push(`${event.file}: ${event.reason}`)
        else if (event.kind === 'warning') {
          // The tables an extract leaves out, in one line; other warnings name their file once.
          if (event.message.endsWith(NOT_IN_EXTRACT)) missing.push(event.file)
          else warn(event.message.startsWith(event.file) ? event.message : `${event.file}: ${event.message}`)
        } else if (event.kind === 'file-error') reject({ file: event.file, row: 0, reason: event.message })
        else if (event.kind === 'rejected') reject({ file: event.file, row: event.rowNo, reason: event.reason })
        else {
          const { row, warnings } = event
          for (const w of warnings) warn(`${row.file} row ${row.rowNo}: ${w}`)
          const rowKey = rowKeyOf(row)
          if (rowKey === null) {
            reject({ file: row.file, row: row.rowNo, reason: 'The row has no id' })
            continue
          }
          reading.rows++
          batch.push({
            importId,
            partnershipId: importer.partnershipId,
            tableName: row.table,
            rowNo: row.rowNo,
            rowKey,
            personId: personIdOf(row),
            data: row.values,
          })
          if (batch.length >= BATCH) await flush()
        }
      }
      await flush()
      if (missing.length) warn(`Not in the extract, so nothing of them is imported: ${missing.join(', ')}`)
    } catch (err) {
      await transaction(db, { partnershipId: importer.partnershipId }, (trx) =>
        trx.deleteFrom('ssdImport').where('id', '=', importId).execute(),
      )
      throw err
    }
    await transaction(db, { partnershipId: importer.partnershipId }, (trx) => repo.setReading(trx, importId, reading))
    await transaction(db, { partnershipId: importer.partnershipId }, (trx) => repo.refreshStatistics(trx))
    return { importId, reading }
  }

  /** Works out what the staged extract means and writes it; a dry run rolls everything back and returns the same summary. */
  async function run(importer: Importer, importId: string, options: RunOptions): Promise<Summary> {
    let summary: Summary | null = null
    const rollback = new Error('dry run')
    try {
      await transaction(db, { partnershipId: importer.partnershipId }, async (trx) => {
        summary = await work(trx, importer, importId, options)
        if (options.dryRun) throw rollback
      })
    } catch (err) {
      if (err !== rollback) throw err
    }
    return summary!
  }

  async function work(trx: Trx, importer: Importer, importId: string, options: RunOptions): Promise<Summary> {
    const { partnershipId } = importer
    const at = now()
    const runRow = await repo.findRun(trx, importId)
    if (!runRow || runRow.partnershipId !== partnershipId) throw new ImportRefused('There is no such import.')
    if (runRow.status !== 'STAGED')
      throw new ImportRefused('This import has already been applied. Upload the extract again to import it again.')
    if (!options.dryRun && !importer.userId)
      throw new ImportRefused('An import is recorded as the person who ran it: name them (--as EMAIL).')
    const reading = runRow.reading as unknown as Reading
    const rejected: Problem[] = [...reading.rejected]
    let rejectedCount = reading.rejectedCount
    const reject = (p: Problem) => {
      rejectedCount++
      if (rejected.length < LISTED) rejected.push(p)
    }
    const fileOf = (table: string) => `${table}.csv`
    const warnings: string[] = []

    // Identifiers the extract links to people (an NHS number or UPN not on the person row).
    const identifiers = new Map<string, { nhs: string | null; upn: string | null }>()
    for (const l of await repo.rowsOf(trx, importId, 'ssd_linked_identifiers')) {
      if (!l.personId) continue
      const kind = (l.data.link_identifier_type ?? '').toLowerCase()
      const value = (l.data.link_identifier_value ?? '').replace(/\s+/g, '').toUpperCase()
      const current = identifiers.get(l.personId) ?? { nhs: null, upn: null }
      if (kind.includes('nhs') && /^\d{10}$/.test(value)) current.nhs = value
      if (kind.includes('upn') || kind.includes('pupil')) current.upn = value
      identifiers.set(l.personId, current)
    }
    const childOf = (p: StagedRow): ImportedChild => {
      const ids = identifiers.get(p.rowKey)
      return {
        givenNames: p.data.pers_forename ?? '',
        familyName: p.data.pers_surname ?? '',
        dateOfBirth: p.data.pers_dob ?? '',
        gender: personGenderOf(p.data.pers_gender, p.data.pers_sex).value,
        ethnicity: ethnicityOf(p.data.pers_ethnicity).value,
        nhsNumber: p.data.pers_single_unique_id ?? ids?.nhs ?? null,
        upn: p.data.pers_upn ?? ids?.upn ?? null,
        localCaseId: p.rowKey,
      }
    }

    // The people, as the child each would be and their row's fingerprint (the row itself is read
    // again a batch at a time when written, so memory holds only this). The same id twice is one
    // child: the last row read wins, and the repeat is a warning.
    type Person = { rowNo: number; child: ImportedChild; hash: string }
    const people = new Map<string, Person>()
    const stagedIds = new Set<string>()
    for (const p of await repo.rowsOf(trx, importId, 'ssd_person')) {
      stagedIds.add(p.rowKey)
      const earlier = people.get(p.rowKey)
      if (earlier)
        warnings.push(`ssd_person.csv row ${p.rowNo}: person ${p.rowKey} is also row ${earlier.rowNo}: one child, from row ${p.rowNo}`)
      for (const m of [personGenderOf(p.data.pers_gender, p.data.pers_sex), ethnicityOf(p.data.pers_ethnicity)])
        if (m.warning) warnings.push(`ssd_person.csv row ${p.rowNo}: ${m.warning}`)
      const child = childOf(p)
      if (!child.givenNames || !child.familyName || !child.dateOfBirth) {
        reject({ file: 'ssd_person.csv', row: p.rowNo, reason: 'The person needs a forename, a surname and a date of birth' })
        people.delete(p.rowKey)
        continue
      }
      people.set(p.rowKey, { rowNo: p.rowNo, child, hash: rowHash(p.data) })
    }

    // Orphans: rows about a person the extract does not have (their ids, not only those left after the checks above).
    for (const o of await repo.orphans(trx, importId, stagedIds))
      reject({ file: fileOf(o.tableName), row: o.rowNo, reason: `Person ${o.personId} is not in ssd_person.csv` })

    // Who is who: the council's id already imported, or a child here with that id, is that child.
    const personIds = [...people.keys()]
    const known = await repo.records(trx, partnershipId, 'ssd_person', personIds)
    const target = new Map<string, string>()
    for (const [id, r] of known) target.set(id, r.targetId)
    const proposals: ProposedMatch[] = []
    const held = new Set<string>()
    const toMatch = personIds.filter((id) => !target.has(id))
    for (let i = 0; i < toMatch.length; i += BATCH) {
      const slice = toMatch.slice(i, i + BATCH)
      const candidates = await childrenWhoMayBe(
        trx,
        partnershipId,
        slice.map((id) => people.get(id)!.child),
      )
      const index = candidateIndex(candidates)
      for (const id of slice) {
        const me = people.get(id)!.child
        const same = index.withCouncilId(id)
        if (same) {
          target.set(id, same.id)
          continue
        }
        const offered = offeredMatches(me, index.near(me))
        if (offered.length === 0) continue
        const best = offered[0]!
        proposals.push({
          personId: id,
          with: { childId: best.c.id, localCaseId: best.c.localCaseId },
          strength: best.strength,
          reasons: best.reasons,
        })
        const decision = options.decisions[id]
        if (decision === 'SAME') target.set(id, best.c.id)
        else if (decision !== 'SEPARATE') held.add(id)
      }
    }
    // Two ids in the extract for what looks like one child: offered, never merged; both held until
    // decided. Compared within groups that could match: the same date of birth, NHS number or UPN.
    const groups = new Map<string, string[]>()
    for (const id of toMatch) {
      if (target.has(id) || held.has(id)) continue
      const c = people.get(id)!.child
      for (const key of [`dob:${c.dateOfBirth}`, c.nhsNumber && `nhs:${c.nhsNumber}`, c.upn && `upn:${c.upn}`])
        if (key) groups.set(key, [...(groups.get(key) ?? []), id])
    }
    const pairedWith = new Map<string, string>()
    const compared = new Set<string>()
    for (const ids of groups.values())
      for (let a = 0; a < ids.length; a++)
        for (let b = a + 1; b < ids.length; b++) {
          const [x, y] = [ids[a]!, ids[b]!]
          if (compared.has(`${x}|${y}`)) continue
          compared.add(`${x}|${y}`)
          const { score, reasons } = matchScore(withoutCouncilId(people.get(x)!.child), withoutCouncilId(people.get(y)!.child))
          if (score < OFFERED_FROM) continue
          proposals.push({ personId: y, with: { personId: x }, strength: matchStrength(score), reasons })
          const decision = options.decisions[y]
          if (decision === 'SAME') pairedWith.set(y, x)
          else if (decision !== 'SEPARATE') {
            held.add(x)
            held.add(y)
          }
        }

    // The episodes, person by person in batches, with what hangs off each.
    const agencies = await repo.agencies(trx, partnershipId)
    const fallbackAgency = agencies.find((a) => a.kind === 'CHILDRENS_SERVICES') ?? agencies[0]
    if (!fallbackAgency) throw new ImportRefused('The partnership has no agencies yet: add its children’s services first.')
    const agencyFor = (code: string | null) => {
      const kind = agencyKindOfSource(code)
      return (kind && agencies.find((a) => a.kind === kind)) || fallbackAgency
    }
    const s: Summary = {
      importId,
      dryRun: options.dryRun,
      children: { found: people.size, new: 0, matched: 0, held: 0, unchanged: 0, updated: 0, withoutSelectedEpisodes: 0 },
      proposedMatches: proposals,
      episodes: { found: 0, selected: 0, new: 0, updated: 0, unchanged: 0 },
      referralsByFinancialYear: {},
      strategyDiscussionsByFinancialYear: {},
      assessments: 0,
      contacts: await repo.countOf(trx, importId, 'ssd_contacts'),
      rejected,
      rejectedCount,
      warnings: [...reading.warnings, ...warnings].slice(0, LISTED),
      warningCount: reading.warningCount + warnings.length,
      created: { children: 0, cases: 0, requests: 0, strategyDiscussions: 0, events: 0 },
    }
    const professionals = new Map((await repo.rowsOf(trx, importId, 'ssd_professionals')).map((r) => [r.rowKey, r.data]))
    const teams = new Map((await repo.rowsOf(trx, importId, 'ssd_department')).map((r) => [r.rowKey, r.data.dept_team_name ?? r.rowKey]))
    const audits: AuditSubject[] = []
    // Each person's child, across batches (a person decided to be another's child follows them).
    const childIdOf = new Map<string, string>()
    const ordered = personIds.filter((id) => !held.has(id))
    s.children.held = new Set([...held].filter((id) => people.has(id))).size

    for (let i = 0; i < ordered.length; i += BATCH) {
      const slice = ordered.slice(i, i + BATCH)
      const episodes = await stagedEpisodes(trx, importId, slice, professionals, teams)
      s.episodes.found += episodes.length
      const chosen = episodes.filter((e) => isSelected(e, options.selection))
      s.episodes.selected += chosen.length
      const byPerson = new Map<string, StagedEpisode[]>()
      for (const e of chosen) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e])

      const newChildren: (ImportedChild & { id: string })[] = []
      const changedChildren: (ImportedChild & { id: string })[] = []
      const records: Parameters<typeof repo.keepRecords>[3][number][] = []
      const rowsOf = new Map((await repo.rowsFor(trx, importId, 'ssd_person', slice)).map((r) => [r.rowKey, r.data]))
      for (const id of slice) {
        const { child, hash } = people.get(id)!
        const data = rowsOf.get(id)!
        if (!byPerson.has(id)) {
          s.children.withoutSelectedEpisodes++
          continue
        }
        const existing = target.get(id) ?? (pairedWith.has(id) ? childIdOf.get(pairedWith.get(id)!) : undefined)
        if (!existing) {
          const newId = randomUUID()
          newChildren.push({ ...child, id: newId })
          childIdOf.set(id, newId)
          records.push({ tableName: 'ssd_person', sourceKey: id, targetId: newId, rowHash: hash, data })
          s.children.new++
          audits.push({ action: 'child:import', recordType: 'child', recordId: newId, detail: { importId, created: true } })
          continue
        }
        childIdOf.set(id, existing)
        s.children.matched++
        const before = known.get(id)
        if (before && before.rowHash === hash) s.children.unchanged++
        else {
          if (before) {
            changedChildren.push({ ...child, id: existing })
            s.children.updated++
          }
          records.push({ tableName: 'ssd_person', sourceKey: id, targetId: existing, rowHash: hash, data })
          audits.push({ action: 'child:import', recordType: 'child', recordId: existing, detail: { importId, created: false } })
        }
      }

      const episodeRecords = await repo.records(
        trx,
        partnershipId,
        'ssd_cin_episodes',
        chosen.map((e) => e.key),
      )
      const plans: { e: StagedEpisode; plan: Extract<ReturnType<typeof planEpisode>, { ok: true }>; caseId?: string }[] = []
      for (const e of chosen) {
        const plan = planEpisode(e, people.get(e.personId)!.child.dateOfBirth, at)
        if (!plan.ok) {
          reject({ file: 'ssd_cin_episodes.csv', row: e.rowNo, reason: plan.reason })
          continue
        }
        const before = episodeRecords.get(e.key)
        const hash = episodeHash(e)
        if (before && before.rowHash === hash) {
          s.episodes.unchanged++
          continue
        }
        plans.push({ e, plan, ...(before ? { caseId: before.targetId } : {}) })
      }
      await insertImportedChildren(trx, partnershipId, importer.userId, newChildren)
      await updateImportedChildren(trx, changedChildren)
      s.created.children += newChildren.length

      const episodesIn: ImportedEpisode[] = plans.map(({ e, plan, caseId }) => ({
        ...(caseId ? { caseId } : {}),
        childId: childIdOf.get(e.personId)!,
        referralReceivedAt: plan.referralReceivedAt,
        status: plan.status,
        closedAt: plan.closedAt,
        events: plan.events,
      }))
      const caseIds = await cases.importHistory(trx, { id: importer.userId, partnershipId }, episodesIn)
      const requests = plans.flatMap(({ e, plan, caseId }, k) =>
        caseId
          ? []
          : [
              {
                partnershipId,
                caseId: caseIds[k]!,
                referrerAgencyId: agencyFor(plan.referralSource).id,
                receivedAt: plan.referralReceivedAt,
                referralSource: [e.values.cine_referral_source_code, e.values.cine_referral_source_desc].filter(Boolean).join(' ') || null,
                councilReferralId: e.key,
              },
            ],
      )
      await insertImportedRequests(trx, requests)
      s.created.requests += requests.length
      s.created.events += plans.reduce((n, p) => n + p.plan.events.length, 0)
      if (importer.userId)
        s.created.strategyDiscussions += await importStrategyDiscussions(
          trx,
          plans.flatMap(({ plan }, k) =>
            plan.strategyDiscussions.map((d) => ({
              partnershipId,
              caseId: caseIds[k]!,
              heldAt: d.heldAt,
              importedBy: importer.userId!,
              sourceKey: `s47:${d.key}`,
              note: 'Strategy discussion held before this service; brought in from the council’s case management system.',
            })),
          ),
        )
      plans.forEach(({ e, plan, caseId }, k) => {
        if (caseId) s.episodes.updated++
        else {
          s.episodes.new++
          s.created.cases++
        }
        const fy = financialYearOf(plan.referralReceivedAt)
        s.referralsByFinancialYear[fy] = (s.referralsByFinancialYear[fy] ?? 0) + 1
        for (const d of plan.strategyDiscussions) {
          const dfy = financialYearOf(d.heldAt)
          s.strategyDiscussionsByFinancialYear[dfy] = (s.strategyDiscussionsByFinancialYear[dfy] ?? 0) + 1
        }
        s.assessments += plan.assessments
        records.push({ tableName: 'ssd_cin_episodes', sourceKey: e.key, targetId: caseIds[k]!, rowHash: episodeHash(e), data: e.values })
        audits.push({ action: 'case:import', recordType: 'case', recordId: caseIds[k]!, detail: { importId, created: !caseId } })
      })
      await repo.keepRecords(trx, partnershipId, importId, records, at)
    }
    s.rejected = rejected
    s.rejectedCount = rejectedCount
    s.referralsByFinancialYear = sortKeys(s.referralsByFinancialYear)
    s.strategyDiscussionsByFinancialYear = sortKeys(s.strategyDiscussionsByFinancialYear)

    const actor = { id: importer.userId, partnershipId }
    audits.push({
      action: 'ssd:import',
      recordType: 'ssd-import',
      recordId: importId,
      detail: { dryRun: options.dryRun, children: s.created.children, cases: s.created.cases, rejected: rejectedCount },
    })
    for (let i = 0; i < audits.length; i += 1000)
      await audit.recordMany(
        trx,
        audits.slice(i, i + 1000).map((a) => auditEntry(actor, a, true, importer.requestId)),
      )
    if (reading.laCodes.length) {
      const partnership = await repo.partnership(trx, partnershipId)
      if (partnership.laCodes.length === 0) await repo.setLaCodes(trx, partnershipId, reading.laCodes)
    }
    await repo.finishRun(trx, importId, { selection: options.selection, decisions: options.decisions }, s, at)
    return s
  }

  return {
    stage,
    run,
    /** The command line's import: stage and run in one go. */
    async importExtract(
      importer: Importer,
      source: { dir: string } | { zip: Uint8Array },
      sourceName: string,
      options: RunOptions & { laCode?: string | null; limits?: Partial<ExtractLimits> },
    ): Promise<{ reading: Reading; summary: Summary }> {
      const { importId, reading } = await stage(importer, source, sourceName, options)
      const summary = await run(importer, importId, options)
      if (options.dryRun)
        await transaction(db, { partnershipId: importer.partnershipId }, (trx) =>
          trx.deleteFrom('ssdImport').where('id', '=', importId).execute(),
        )
      return { reading, summary }
    },
    /**
     * The partnership's HSB episodes for the council's data warehouse: SSD CSV files and the DfE
     * payload, the payload checked against our schema first. Every child in it is audited as exported.
     */
    async exportFor(importer: Importer, laCodeGiven?: string | null) {
      return transaction(db, { partnershipId: importer.partnershipId }, async (trx) => {
        const partnership = await repo.partnership(trx, importer.partnershipId)
        const laCode = laCodeGiven?.trim() || partnership.laCodes[0]
        if (!laCode)
          throw new ImportRefused('The partnership has no local authority code yet: give one (--la-code) or import an extract first.')
        if (!/^\d{3}$/.test(laCode)) throw new ImportRefused(`“${laCode}” is not a local authority code (three digits, e.g. 845).`)
        const children = await exportChildren(trx, importer.partnershipId)
        const payload = dfePayload(children, laCode)
        const check = validatePayload(payload)
        if (!check.ok) throw new Error(`The export does not meet the payload schema: ${check.errors.slice(0, 3).join('; ')}`)
        const actor = { id: importer.userId, partnershipId: importer.partnershipId }
        const episodes = children.reduce((n, c) => n + c.episodes.length, 0)
        const entries: AuditSubject[] = [
          {
            action: 'ssd:export',
            recordType: 'partnership',
            recordId: importer.partnershipId,
            detail: { children: children.length, episodes },
          },
        ]
        await audit.recordMany(
          trx,
          entries.map((a) => auditEntry(actor, a, true, importer.requestId)),
        )
        await exportedChildren(trx, actor, importer.requestId, await childIdsWithCases(trx, importer.partnershipId))
        return { files: ssdCsvFiles(children, laCode), payload, children: children.length, episodes }
      })
    },
    /** Who these people in a staged extract are (name and date of birth), for the person checking it. */
    async peopleIn(partnershipId: string, importId: string, personIds: readonly string[]) {
      if (personIds.length === 0) return {}
      const rows = await transaction(db, { partnershipId }, (trx) =>
        repo.rowsPointingAt(trx, importId, 'ssd_person', 'pers_person_id', [...new Set(personIds)]),
      )
      return Object.fromEntries(
        rows.map((r) => [
          r.rowKey,
          { name: `${r.data.pers_forename ?? ''} ${r.data.pers_surname ?? ''}`.trim(), dateOfBirth: r.data.pers_dob ?? 'not known' },
        ]),
      )
    },
    /** One run, for its page. */
    findRun: (partnershipId: string, importId: string) => transaction(db, { partnershipId }, (trx) => repo.findRun(trx, importId)),
    recentRuns: (partnershipId: string) => transaction(db, { partnershipId }, (trx) => repo.recentRuns(trx, partnershipId)),
  }
}

async function childIdsWithCases(trx: Trx, partnershipId: string): Promise<string[]> {
  const rows = await trx.selectFrom('hsbCase').select('childId').distinct().where('partnershipId', '=', partnershipId).execute()
  return rows.map((r) => r.childId)
}

/**
 * Two council ids for one child are what matching looks for: compared on everything but the id,
 * which would otherwise always differ and rule the match out.
 */
const withoutCouncilId = <C extends { localCaseId: string | null }>(c: C): C => ({ ...c, localCaseId: null })

/**
 * The children a person could match, found by what they share (date of birth, NHS number, UPN, the
 * council id), so each person is compared with a few records, not with every child of the batch.
 */
function candidateIndex(candidates: readonly ExistingChild[]) {
  const by = new Map<string, ExistingChild[]>()
  const add = (key: string | null, c: ExistingChild) => {
    if (!key) return
    const list = by.get(key)
    if (list) list.push(c)
    else by.set(key, [c])
  }
  for (const c of candidates) {
    add(`dob:${c.dateOfBirth}`, c)
    add(c.nhsNumber && `nhs:${c.nhsNumber}`, c)
    add(c.upn && `upn:${c.upn}`, c)
    add(c.localCaseId && `id:${c.localCaseId.toUpperCase()}`, c)
  }
  return {
    withCouncilId: (id: string) => by.get(`id:${id.toUpperCase()}`)?.[0],
    near(me: ImportedChild): ExistingChild[] {
      const keys = [`dob:${me.dateOfBirth}`, me.nhsNumber && `nhs:${me.nhsNumber}`, me.upn && `upn:${me.upn}`]
      return [...new Set(keys.flatMap((k) => (k ? (by.get(k) ?? []) : [])))]
    },
  }
}

function offeredMatches(me: ImportedChild, candidates: readonly ExistingChild[]) {
  return candidates
    .map((c) => ({ c, ...matchScore(withoutCouncilId(c), withoutCouncilId(me)) }))
    .filter((m) => m.score >= OFFERED_FROM)
    .map((m) => ({ ...m, strength: matchStrength(m.score) }))
    .sort((a, b) => b.score - a.score)
}

/** An episode's fingerprint: its own row and every row that hangs off it, so a change anywhere updates it. */
function episodeHash(e: StagedEpisode): string {
  return rowHash({
    episode: JSON.stringify(e.values),
    s47: JSON.stringify(e.s47.map((x) => x.values)),
    assessments: JSON.stringify(e.assessments.map((x) => [x.values, x.factors])),
    conferences: JSON.stringify(e.conferences.map((x) => x.values)),
    involvements: JSON.stringify(e.involvements.map((x) => x.values)),
  })
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))

/** The CIN episodes of these people, with their s47 enquiries, assessments (and factors), conferences and involvements. */
async function stagedEpisodes(
  trx: Trx,
  importId: string,
  personIds: readonly string[],
  professionals: ReadonlyMap<string, Record<string, string | null>>,
  teams: ReadonlyMap<string, string>,
): Promise<StagedEpisode[]> {
  const repo = ssdImportRepository()
  const rows = (t: SsdTableName) => repo.rowsFor(trx, importId, t, personIds)
  // One after another: a transaction is one connection.
  const episodes = await rows('ssd_cin_episodes')
  const s47 = await rows('ssd_s47_enquiry')
  const assessments = await rows('ssd_cin_assessments')
  const conferences = await rows('ssd_initial_cp_conference')
  const involvements = await rows('ssd_involvements')
  const factors = await repo.rowsPointingAt(
    trx,
    importId,
    'ssd_assessment_factors',
    'cinf_assessment_id',
    assessments.map((a) => a.rowKey),
  )
  const factorsOf = new Map<string, string[]>()
  for (const f of factors) {
    const key = f.data.cinf_assessment_id ?? ''
    factorsOf.set(key, [...(factorsOf.get(key) ?? []), ...factorCodes(f.data.cinf_assessment_factors_json ?? null)])
  }
  // Each list grouped by the episode it hangs off once, not filtered again for every episode.
  const grouped = (list: StagedRow[], column: string) => {
    const by = new Map<string, StagedRow[]>()
    for (const r of list) {
      const key = r.data[column]
      if (!key) continue
      const rows = by.get(key)
      if (rows) rows.push(r)
      else by.set(key, [r])
    }
    return (key: string) => by.get(key) ?? []
  }
  const s47Of = grouped(s47, 's47e_referral_id')
  const assessmentsOf = grouped(assessments, 'cina_referral_id')
  const conferencesOf = grouped(conferences, 'icpc_referral_id')
  const involvementsOf = grouped(involvements, 'invo_referral_id')
  const deduped = new Map<string, StagedRow>()
  for (const e of episodes) deduped.set(e.rowKey, e)
  return [...deduped.values()].map((e) => ({
    key: e.rowKey,
    rowNo: e.rowNo,
    personId: e.personId!,
    values: e.data,
    s47: s47Of(e.rowKey).map((r) => ({ key: r.rowKey, values: r.data })),
    assessments: assessmentsOf(e.rowKey).map((r) => ({
      key: r.rowKey,
      values: r.data,
      factors: [...new Set(factorsOf.get(r.rowKey) ?? [])],
    })),
    conferences: conferencesOf(e.rowKey).map((r) => ({ key: r.rowKey, values: r.data })),
    involvements: involvementsOf(e.rowKey).map((r) => ({
      key: r.rowKey,
      values: r.data,
      professional: r.data.invo_professional_id ? (professionals.get(r.data.invo_professional_id) ?? null) : null,
      team: r.data.invo_professional_team ? (teams.get(r.data.invo_professional_team) ?? r.data.invo_professional_team) : null,
    })),
  }))
}

export type SsdImportService = ReturnType<typeof ssdImportService>
