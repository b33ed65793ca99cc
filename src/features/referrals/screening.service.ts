import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM } from '../../platform/forms/forms.js'
import { BadRequestError, NotFoundError } from '../../platform/http/errors.js'
import type { CaseAct, CaseForAccess, CaseKernel } from '../cases/index.js'
import { beginStep, formAgain, staleCase, stepPage, type StepResult } from './case-step.js'
import type { Parsed } from './request-for-support.form.js'
import type { CatalogueItem, CatalogueRepository } from './catalogue.repository.js'
import type { ReferralsRepository, RequestForSupportRow, ScreeningRow } from './referrals.repository.js'
import type { OversightCommand, WithWhen } from './routing.form.js'
import { applyCatalogueChoices, checkScreening, chosenCatalogueIds, SCREENING_TOOL, type ScreeningForm } from './screening.form.js'
import { ageBand, ALL_BROOK_TOOL_VERSIONS } from './screening.rules.js'

type Deps = {
  repo: ReferralsRepository
  catalogue: CatalogueRepository
  cases: CaseKernel
  /** Tells the request's referrer it was decided (here: accepted onto the pathway, amber or red confirmed). */
  tellReferrer: (act: CaseAct) => Promise<void>
  now?: () => Date
}

/** The partnership's catalogue for the child's age band (when the request was received), by tool version; absent when it has none. */
export type CatalogueChoices = Partial<Record<string, { ageBand: string; items: CatalogueItem[] }>>
export type ScreeningData = { request: RequestForSupportRow | null; returned: ScreeningRow | null; catalogue: CatalogueChoices }
export type OversightData = { screening: ScreeningRow; request: RequestForSupportRow | null }

const dateOnly = (d: Date) => d.toISOString().slice(0, 10)

/**
 * Screening with the Brook Traffic Light Tool, and the manager's oversight of it. Behaviours
 * are the practitioner's own words; history events carry the rating, never behaviour text.
 */
export function screeningService({ repo, catalogue, cases, tellReferrer, now = () => new Date() }: Deps) {
  async function catalogueChoices(trx: Trx, kase: CaseForAccess): Promise<CatalogueChoices> {
    const choices: CatalogueChoices = {}
    for (const version of ALL_BROOK_TOOL_VERSIONS) {
      const band = ageBand(version, dateOnly(kase.childDateOfBirth), londonDate(kase.referralReceivedAt))
      if (!band.ok) continue
      const items = await catalogue.forBand(trx, kase.partnershipId, version, band.band.key)
      if (items.length > 0) choices[version] = { ageBand: band.band.label, items }
    }
    return choices
  }

  async function screeningData(trx: Trx, kase: CaseForAccess): Promise<ScreeningData> {
    const request = (await repo.findRequest(trx, kase.id)) ?? null
    const latest = await repo.latestScreening(trx, kase.id)
    return { request, returned: latest?.oversightOutcome === 'RETURNED' ? latest : null, catalogue: await catalogueChoices(trx, kase) }
  }

  async function oversightData(trx: Trx, kase: CaseForAccess): Promise<OversightData> {
    const screening = await repo.latestScreening(trx, kase.id)
    if (!screening || screening.oversightAt) throw new NotFoundError()
    return { screening, request: (await repo.findRequest(trx, kase.id)) ?? null }
  }

  return {
    viewScreening: stepPage(cases, 'RECORD_SCREENING', screeningData),

    async recordScreening(user: CurrentUser, caseId: string, typed: ScreeningForm, requestId: string): Promise<StepResult<ScreeningData>> {
      return cases.run(user, caseId, requestId, async (act) => {
        const { trx, kase } = act
        act.step('RECORD_SCREENING')
        if (typed.version === null) throw new BadRequestError(INCOMPLETE_FORM)
        const form = applyCatalogueChoices(typed, await catalogue.findMany(trx, kase.partnershipId, chosenCatalogueIds(typed)))
        const view = async () => ({ kase, notNow: null, data: await screeningData(trx, kase) })
        if (form.version !== kase.version) return staleCase(await view(), '#tool-version')
        const checked = checkScreening(form, {
          dateOfBirth: dateOnly(kase.childDateOfBirth),
          referralDate: londonDate(kase.referralReceivedAt),
          today: londonDate(now()),
        })
        // When the screening was done: the referral decision's clock stops then.
        const when = await act.when(form.when)
        if (!checked.ok || !when.ok)
          return formAgain(await view(), [...(checked.ok ? [] : checked.errors), ...(when.ok ? [] : when.errors)])
        const s = checked.value
        await repo.insertScreening(trx, {
          partnershipId: user.partnershipId,
          caseId: kase.id,
          tool: SCREENING_TOOL,
          toolVersion: s.toolVersion,
          ageBand: s.ageBand,
          behaviours: s.behaviours,
          overallRating: s.overallRating,
          rationale: s.rationale,
          screenedBy: user.id,
          screenedAt: when.value.occurredAt,
        })
        const detail = { rating: s.overallRating, toolVersion: s.toolVersion, ageBand: s.ageBand, behaviours: s.behaviours.length }
        await act.apply('RECORD_SCREENING', { rating: s.overallRating, when: when.value }, detail)
        return { ok: true }
      })
    },

    viewOversight: stepPage(cases, 'CONFIRM_SCREENING', oversightData),

    /** Confirming starts the 24-hour strategy clock and the assessment clock for amber or red; returning sends it back to the worker. */
    async recordOversight(
      user: CurrentUser,
      caseId: string,
      parsed: Parsed<OversightCommand> & { outcome: OversightCommand['outcome'] | null } & WithWhen,
      requestId: string,
    ): Promise<StepResult<OversightData>> {
      const action = parsed.outcome === 'RETURN' ? 'RETURN_SCREENING' : 'CONFIRM_SCREENING'
      return cases.run(user, caseId, requestId, async (act) => {
        const { trx, kase } = act
        beginStep(act, action, parsed)
        const data = await oversightData(trx, kase)
        const view = { kase, notNow: null, data }
        if (parsed.ok && (parsed.value.version !== kase.version || parsed.value.screeningId !== data.screening.id)) {
          return staleCase(view, '#outcome')
        }
        if (data.screening.screenedBy === user.id) {
          return formAgain(view, [
            { href: '#outcome', text: 'You recorded this screening, so another team manager must confirm or return it' },
          ])
        }
        // When the manager confirmed or returned it: its clocks start then.
        const when = await act.when(parsed.when)
        if (!parsed.ok || !when.ok) return formAgain(view, [...(parsed.ok ? [] : parsed.errors), ...(when.ok ? [] : when.errors)])
        const { outcome, note } = parsed.value
        const rating = data.screening.overallRating
        const at = when.value.occurredAt
        await act.apply(
          action,
          { rating: outcome === 'CONFIRM' ? rating : null, when: when.value },
          { screeningId: data.screening.id, rating },
        )
        await repo.recordOversight(trx, data.screening.id, {
          by: user.id,
          at,
          note,
          outcome: outcome === 'CONFIRM' ? 'CONFIRMED' : 'RETURNED',
        })
        // Amber or red confirmed: the request is accepted onto the pathway (a green one is decided next, at the decision).
        if (outcome === 'CONFIRM' && rating !== 'GREEN') await tellReferrer(act)
        return { ok: true }
      })
    },
  }
}
export type ScreeningService = ReturnType<typeof screeningService>
