import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Trx } from '../../platform/db/transaction.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseAct, CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { caseFactorsRepository, type CaseFactorRow } from './case-factors.repository.js'
import {
  caseFactorsFigure,
  codeFor,
  factorChanges,
  factorList,
  STANDARD_FACTORS,
  validateFactorLabel,
  type FactorType,
} from './case-factors.rules.js'
import { countsSql } from './dashboard.repository.js'
import type { Figure } from './insight.figures.js'
import type { InsightQuery } from './insight.query.js'

type Deps = Pick<FeatureDeps, 'db' | 'access' | 'cases'> & { now: () => Date }

/**
 * Recording factors is the case-wide step RECORD_CASE_FACTORS: the people who work with the case,
 * once they may read the child, in any status (factors matter to audits of closed cases too).
 */
const RECORD = 'RECORD_CASE_FACTORS'

export type CaseFactorsPage = {
  kase: CaseForAccess
  factors: FactorType[]
  /** Codes current on the case. */
  current: string[]
  history: (CaseFactorRow & { label: string })[]
  canRecord: boolean
}
export type RecordFactorsResult = { ok: true; added: number; removed: number } | { ok: false; errors: FieldError[]; page: CaseFactorsPage }

export function caseFactorsService({ db, access, cases, now }: Deps) {
  const repo = caseFactorsRepository()
  const scope = (user: CurrentUser) => ({ partnershipId: user.partnershipId })

  async function factorsOf(trx: Trx, partnershipId: string) {
    return factorList(await repo.types(trx, partnershipId))
  }

  async function casePage(act: CaseAct): Promise<CaseFactorsPage> {
    const { kase } = act
    const factors = await factorsOf(act.trx, act.user.partnershipId)
    const labels = new Map(factors.map((f) => [f.code, f.label]))
    const rows = await repo.forCase(act.trx, kase.id)
    return {
      kase,
      factors,
      current: rows.filter((r) => !r.removedAt).map((r) => r.factorCode),
      history: rows.map((r) => ({ ...r, label: labels.get(r.factorCode) ?? r.factorCode })),
      canRecord: act.may(RECORD),
    }
  }

  const onCase = (kase: CaseForAccess, action: string, detail: AuditSubject['detail'] = {}): AuditSubject => ({
    action,
    recordType: 'case',
    recordId: kase.id,
    detail: { childId: kase.childId, ...detail },
  })
  const onType = (action: string, code: string): AuditSubject => ({
    action,
    recordType: 'case-factor-type',
    recordId: null,
    detail: { code },
  })

  return {
    /** The factor list: standard, the partnership's own, and retired ones. */
    async types(user: CurrentUser) {
      return transaction(db, scope(user), async (trx) => ({
        factors: await factorsOf(trx, user.partnershipId),
        own: await repo.types(trx, user.partnershipId),
      }))
    },

    async addType(
      user: CurrentUser,
      label: string,
      requestId: string,
    ): Promise<{ ok: true; code: string; label: string } | { ok: false; errors: FieldError[] }> {
      return access.run(user, requestId, async (act) => {
        const own = await repo.types(act.trx, user.partnershipId)
        const checked = validateFactorLabel(label, factorList(own))
        if (!checked.ok) return checked
        const code = codeFor(checked.value, [...STANDARD_FACTORS.map((f) => f.code), ...own.map((f) => f.code)])
        await repo.insertType(act.trx, user.partnershipId, code, checked.value, user.id)
        await act.record(onType('case-factor-type:add', code))
        return { ok: true as const, code, label: checked.value }
      })
    },

    /** Retires one of the partnership's own factors: it can no longer be added; what was recorded stays. */
    async retireType(user: CurrentUser, code: string, requestId: string): Promise<boolean> {
      return access.run(user, requestId, async (act) => {
        const done = await repo.retireType(act.trx, user.partnershipId, code, now())
        if (done) await act.record(onType('case-factor-type:retire', code))
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
      return cases.run(user, caseId, requestId, async (act) => {
        const page = await casePage(act)
        await act.record(onCase(act.kase, 'case-factors:read', { factors: page.current.length }))
        return page
      })
    },

    /** Records additions and marks removals (never deletes), for the people who work with the case. */
    async record(
      user: CurrentUser,
      caseId: string,
      form: { ticked: string[]; shown: string[] },
      requestId: string,
    ): Promise<RecordFactorsResult> {
      return cases.run(user, caseId, requestId, async (act): Promise<RecordFactorsResult> => {
        act.step(RECORD, onCase(act.kase, 'case-factors:record'))
        const page = await casePage(act)
        const allowed = page.factors.filter((f) => !f.retired).map((f) => f.code)
        const changes = factorChanges({ ticked: form.ticked, shown: form.shown, current: page.current, allowed })
        if (changes.unknown.length) return { ok: false, errors: [{ href: '#factors', text: 'Select factors from the list' }], page }
        const at = now()
        await repo.add(act.trx, user.partnershipId, act.kase.id, changes.add, user.id, at)
        await repo.remove(act.trx, act.kase.id, changes.remove, user.id, at)
        await act.record(onCase(act.kase, 'case-factors:record', { added: changes.add.join(','), removed: changes.remove.join(',') }))
        return { ok: true, added: changes.add.length, removed: changes.remove.length }
      })
    },
  }
}
export type CaseFactorsService = ReturnType<typeof caseFactorsService>
