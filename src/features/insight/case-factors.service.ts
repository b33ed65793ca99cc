import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES } from '../cases/pathway.rules.js'
import { caseFactorsRepository, type CaseFactorRow } from './case-factors.repository.js'
import { caseFactorsFigure, codeFor, factorChanges, factorList, STANDARD_FACTORS, validateFactorLabel, type FactorType } from './case-factors.rules.js'
import type { Figure } from './insight.figures.js'
import type { InsightQuery } from './insight.query.js'
import { countsSql } from './dashboard.repository.js'

type Deps = { db: Db; audit: AuditRepository; workflow: CaseWorkflow; now: () => Date }

/** A refusal decided after the case was loaded: its audit row commits, then the error is shown. */
class Refusal {
  constructor(readonly error: HttpError) {}
}

/**
 * Recording factors follows the criminal process's rule: the people who work with the case
 * (the roles that may record the criminal process), once they may read the child. Any status:
 * factors matter to audits of closed cases too.
 */
const mayRecord = (user: CurrentUser) => (ACTION_RULES.RECORD_CRIMINAL_PROCESS.roles as readonly string[]).some((r) => user.roles.includes(r as never))

export type CaseFactorsPage = {
  kase: CaseForAccess
  factors: FactorType[]
  /** Codes current on the case. */
  current: string[]
  history: (CaseFactorRow & { label: string })[]
  canRecord: boolean
}
export type RecordFactorsResult = { ok: true; added: number; removed: number } | { ok: false; errors: FieldError[]; page: CaseFactorsPage }

export function caseFactorsService({ db, audit, workflow, now }: Deps) {
  const repo = caseFactorsRepository()
  const scope = (user: CurrentUser) => ({ partnershipId: user.partnershipId })

  async function factorsOf(trx: Trx, partnershipId: string) {
    return factorList(await repo.types(trx, partnershipId))
  }

  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function casePage(trx: Trx, user: CurrentUser, kase: CaseForAccess): Promise<CaseFactorsPage> {
    const factors = await factorsOf(trx, user.partnershipId)
    const labels = new Map(factors.map((f) => [f.code, f.label]))
    const rows = await repo.forCase(trx, kase.id)
    return {
      kase,
      factors,
      current: rows.filter((r) => !r.removedAt).map((r) => r.factorCode),
      history: rows.map((r) => ({ ...r, label: labels.get(r.factorCode) ?? r.factorCode })),
      canRecord: mayRecord(user),
    }
  }

  async function auditCase(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, requestId: string, allowed: boolean, extra: Record<string, string | number | boolean | null> = {}) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action, recordType: 'case', recordId: kase.id, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail: { childId: kase.childId, ...extra } })
  }

  return {
    /** The factor list: standard, the partnership's own, and retired ones. */
    async types(user: CurrentUser) {
      return transaction(db, scope(user), async (trx) => ({ factors: await factorsOf(trx, user.partnershipId), own: await repo.types(trx, user.partnershipId) }))
    },

    async addType(user: CurrentUser, label: string, requestId: string): Promise<{ ok: true; code: string; label: string } | { ok: false; errors: FieldError[] }> {
      return transaction(db, scope(user), async (trx) => {
        const own = await repo.types(trx, user.partnershipId)
        const checked = validateFactorLabel(label, factorList(own))
        if (!checked.ok) return checked
        const code = codeFor(checked.value, [...STANDARD_FACTORS.map((f) => f.code), ...own.map((f) => f.code)])
        await repo.insertType(trx, user.partnershipId, code, checked.value, user.id)
        await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'case-factor-type:add', recordType: 'case-factor-type', recordId: null, outcome: 'ALLOWED', requestId, detail: { code } })
        return { ok: true as const, code, label: checked.value }
      })
    },

    /** Retires one of the partnership's own factors: it can no longer be added; what was recorded stays. */
    async retireType(user: CurrentUser, code: string, requestId: string): Promise<boolean> {
      return transaction(db, scope(user), async (trx) => {
        const done = await repo.retireType(trx, user.partnershipId, code, now())
        if (done) await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'case-factor-type:retire', recordType: 'case-factor-type', recordId: null, outcome: 'ALLOWED', requestId, detail: { code } })
        return done
      })
    },

    /** The cohort figure for a query (raw counts: the caller applies disclosure control). */
    async figure(user: CurrentUser, q: InsightQuery): Promise<{ figure: Figure; cohort: number }> {
      return transaction(db, scope(user), async (trx) => {
        const factors = await factorsOf(trx, user.partnershipId)
        // The same facts the dashboard lists cases from (dashboard.sql.ts), so the figure and its cases agree.
        const { rows } = await countsSql('case-factors', { partnershipId: user.partnershipId, q, factors }).execute(trx)
        const cohort = rows.find((r) => r.colKey === 'total')?.n ?? 0
        const withFactor = rows.filter((r) => r.colKey === 'with').map((r) => ({ code: r.rowKey, n: Number(r.n) }))
        return { figure: caseFactorsFigure(factors, withFactor, Number(cohort), q.period.label, q.asAt), cohort: Number(cohort) }
      })
    },

    /** The factors on a case and their history; the read is audited. */
    async forCase(user: CurrentUser, caseId: string, requestId: string): Promise<CaseFactorsPage> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const page = await casePage(trx, user, kase)
        await auditCase(trx, user, kase, 'case-factors:read', requestId, true, { factors: page.current.length })
        return page
      })
    },

    /** Records additions and marks removals (never deletes), for the people who work with the case. */
    async record(user: CurrentUser, caseId: string, form: { ticked: string[]; shown: string[] }, requestId: string): Promise<RecordFactorsResult> {
      return run(user, caseId, requestId, async (trx, kase): Promise<RecordFactorsResult | Refusal> => {
        if (!mayRecord(user)) {
          await auditCase(trx, user, kase, 'case-factors:record', requestId, false, { reason: 'NOT_YOUR_ROLE' })
          return new Refusal(new ForbiddenError('Your role cannot record case factors.'))
        }
        const page = await casePage(trx, user, kase)
        const allowed = page.factors.filter((f) => !f.retired).map((f) => f.code)
        const changes = factorChanges({ ticked: form.ticked, shown: form.shown, current: page.current, allowed })
        if (changes.unknown.length) return { ok: false, errors: [{ href: '#factors', text: 'Select factors from the list' }], page }
        const at = now()
        await repo.add(trx, user.partnershipId, kase.id, changes.add, user.id, at)
        await repo.remove(trx, kase.id, changes.remove, user.id, at)
        await auditCase(trx, user, kase, 'case-factors:record', requestId, true, { added: changes.add.join(','), removed: changes.remove.join(',') })
        return { ok: true, added: changes.add.length, removed: changes.remove.length }
      })
    },
  }
}
export type CaseFactorsService = ReturnType<typeof caseFactorsService>
