import { randomInt } from 'node:crypto'
import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { NOW } from '../../platform/forms/when.js'
import { directory } from '../../platform/organisation/directory.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import { CASE_STATUSES } from '../cases/index.js'
import { readCohort, readPanel, readSetup, readSummary, readTool, type FindingInput } from './case-audits.form.js'
import { auditPlan, sendRecommendationsToReview } from './case-audits.plan-bridge.js'
import { caseAuditsRepository, partnershipName, type AuditRow, type SampleRow, type ToolRow } from './case-audits.repository.js'
import {
  ageBandOf,
  checkAuditWhen,
  drawSample,
  nextDraw,
  parseToolDefinition,
  processNumbers,
  validateConsent,
  validateFinding,
  validateRecommendation,
  validateSummary,
  whenDetail,
  type ConsentInput,
  type RecommendationInput,
} from './case-audits.rules.js'

type Deps = {
  access: AccessGuard
  /** Entered more than this many days after the panel met or a finding was agreed needs the reason (config). */
  lateEntryDays: number
  now?: () => Date
}
const CLOSED = 'This audit is closed. Its cases can no longer be read or changed.'
const STATUSES = Object.values(CASE_STATUSES) as string[]
type Failure = { ok: false; errors: FieldError[] }
export type SetupForm = {
  tools: ToolRow[]
  agencies: { id: string; name: string }[]
  auditors: { id: string; displayName: string; agencyId: string }[]
  parent: AuditRow | null
  parentSamples: SampleRow[]
}

/**
 * Multi-agency case audits: set-up, the cohort and its seeded sample, consent, the lead auditors'
 * audit-scoped reads of consented cases and their summary sheets, the panel, findings and
 * recommendations (sent to a review's action plan), deep dives, closing, and the report's data.
 * The business manager (reviews:manage) runs it; lead auditors assigned to it audit; every read of
 * a case, allowed or refused, is in the audit log.
 */
export function caseAuditsService({ access, lateEntryDays, now = () => new Date() }: Deps) {
  const repo = caseAuditsRepository()
  const org = directory()

  /** What the audit log says of a case audit read or change: `case-audit:<action>`. */
  const about = (action: string, recordType: string, recordId: string | null, detail?: AuditDetail): AuditSubject => ({
    action: `case-audit:${action}`,
    recordType,
    recordId,
    ...(detail ? { detail } : {}),
  })

  async function loadAudit(act: Act, auditId: string, lock = false): Promise<AuditRow> {
    return act.found(await (lock ? repo.lockAudit(act.trx, auditId) : repo.findAudit(act.trx, auditId)))
  }

  /** A change by the business manager to an open audit (the route checked reviews:manage); refused (409, audited) once it is closed. */
  async function forChange(act: Act, auditId: string, action: string): Promise<AuditRow> {
    const a = await loadAudit(act, auditId, true)
    if (a.status === 'CLOSED') act.refuse(new ConflictError(CLOSED), about(action, 'case-audit', a.id, { status: 409 }))
    return a
  }

  /** An audit read (audited as `action`) with its agencies, sample, summary sheets and deep dives. */
  async function readAudit(act: Act, auditId: string, action: 'view' | 'report') {
    const a = await loadAudit(act, auditId)
    await act.record(about(action, 'case-audit', a.id))
    const { trx } = act
    return {
      audit: a,
      agencies: await repo.listAuditAgencies(trx, a.id),
      samples: await repo.listSamples(trx, a.id),
      summaries: await repo.listSummaries(trx, a.id),
      deepDives: await repo.listDeepDives(trx, a.id),
    }
  }

  const isManager = (user: CurrentUser) => canInPartnership(user, 'reviews:manage')
  const takingPartIn = async (trx: Trx, auditId: string) =>
    (await repo.listAuditAgencies(trx, auditId)).filter((x) => x.participation === 'TAKING_PART')

  async function setupOptions(trx: Trx, user: CurrentUser) {
    await repo.ensureBuiltInTool(trx, user.partnershipId)
    const [tools, agencies, auditors] = [
      await repo.listTools(trx),
      await org.agencies(trx, user.partnershipId),
      await org.people(trx, user.partnershipId, ['LEAD_AUDITOR']),
    ]
    return { tools, agencies, auditors }
  }

  async function parentSamples(trx: Trx, parent: AuditRow) {
    return (await repo.listSamples(trx, parent.id)).filter((s) => s.consent === 'GIVEN')
  }

  async function sampleOf(act: Act, auditId: string, sampleId: string) {
    const a = await loadAudit(act, auditId)
    const samples = await repo.listSamples(act.trx, a.id)
    return { audit: a, samples, sample: samples.find((s) => s.id === sampleId) }
  }

  /**
   * The sampled case for a lead auditor: only an assigned lead auditor of an open audit, only a
   * case whose consent is given, and only their own agency's summary sheet. Every attempt audited.
   */
  async function auditorAccess(act: Act, auditId: string, sampleId: string, action: string) {
    const { audit: a, sample } = await sampleOf(act, auditId, sampleId)
    const agencies = await repo.listAuditAgencies(act.trx, a.id)
    const mine = agencies.find((x) => x.participation === 'TAKING_PART' && x.leadAuditorId === act.user.id)
    const refusal = !sample
      ? new NotFoundError()
      : !mine
        ? new ForbiddenError('Only the lead auditors assigned to this audit can read its cases.')
        : a.status !== 'OPEN'
          ? new ForbiddenError(CLOSED)
          : sample.consent !== 'GIVEN'
            ? new ForbiddenError('Consent has not been given for this case, so it is not open to auditors.')
            : null
    const data = sample && !refusal ? await repo.caseForAudit(act.trx, sample.caseId) : undefined
    const restricted = !!data?.kase.isRestricted
    const error = refusal ?? (restricted ? new ForbiddenError('This case is a restricted record and cannot be audited.') : null)
    const subject = about(action, 'case', sample?.caseId ?? null, { auditId: a.id, sampleId, ...(error ? { reason: error.status } : {}) })
    if (error || !data || !mine || !sample) return act.refuse(error ?? new NotFoundError(), subject)
    await act.record(subject)
    return { audit: a, sample, agency: mine, data }
  }

  async function auditorPage(act: Act, allowed: Awaited<ReturnType<typeof auditorAccess>>) {
    const tool = await repo.findTool(act.trx, allowed.audit.toolId)
    const summary = await repo.findSummary(act.trx, allowed.sample.id, allowed.agency.agencyId)
    const { kase, events, meetings } = allowed.data
    return {
      audit: allowed.audit,
      sample: allowed.sample,
      agency: allowed.agency,
      tool: tool!,
      summary,
      kase: {
        status: kase.status,
        rating: kase.rating,
        route: kase.route,
        referralReceivedAt: kase.referralReceivedAt,
        openedAt: kase.openedAt,
        closedAt: kase.closedAt,
        ageBand: ageBandOf(kase.dateOfBirth.toISOString().slice(0, 10), londonDate(now())),
      },
      events,
      meetings: meetings.map((m) => ({
        kind: m.kind,
        heldAt: m.heldAt,
        scheduledFor: m.scheduledFor,
        status: m.status,
        outcomes: m.outcomes,
      })),
      user: act.user.id,
    }
  }

  return {
    async list(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await act.record(about('list', 'case-audit', null))
        const audits = await repo.listAudits(act.trx)
        const mine = new Set(await repo.auditsForAuditor(act.trx, user.id))
        return { audits, mine: audits.filter((a) => mine.has(a.id)), canManage: isManager(user) }
      })
    },

    async tools(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await repo.ensureBuiltInTool(act.trx, user.partnershipId)
        return { tools: await repo.listTools(act.trx), canManage: isManager(user) }
      })
    },

    async tool(user: CurrentUser, toolId: string, requestId: string) {
      return access.run(user, requestId, async (act) => act.found(await repo.findTool(act.trx, toolId)))
    },

    /** A partnership's own tool, typed in the form or pasted as JSON or CSV. All or nothing. */
    async createTool(user: CurrentUser, raw: unknown, requestId: string): Promise<{ ok: true; id: string } | Failure> {
      const input = readTool(raw)
      const name = input.name.trim()
      const errors: FieldError[] = []
      if (!name) errors.push({ href: '#name', text: 'Enter a name for the audit tool' })
      else if (name.length > 200) errors.push({ href: '#name', text: 'The name must be 200 characters or fewer' })
      const parsed = parseToolDefinition(input.format, input.definition, input.scale, input.freeText)
      if (!parsed.ok) errors.push(...parsed.errors)
      if (errors.length || !parsed.ok) return { ok: false, errors }
      return access.run(user, requestId, async (act) => {
        if (await repo.toolNameTaken(act.trx, name))
          return { ok: false as const, errors: [{ href: '#name', text: 'An audit tool with this name already exists' }] }
        const id = await repo.insertTool(act.trx, {
          partnershipId: user.partnershipId,
          name,
          source: input.format === 'JSON' ? 'JSON' : 'CSV',
          definition: parsed.value,
          createdBy: user.id,
        })
        await act.record(
          about('create-tool', 'case-audit-tool', id, { questions: parsed.value.sections.reduce((n, s) => n + s.questions.length, 0) }),
        )
        return { ok: true as const, id }
      })
    },

    async setupForm(user: CurrentUser, parentId: string | null, requestId: string): Promise<SetupForm> {
      return access.run(user, requestId, async (act) => {
        const options = await setupOptions(act.trx, user)
        if (!parentId) return { ...options, parent: null, parentSamples: [] }
        const parent = await loadAudit(act, parentId)
        return { ...options, parent, parentSamples: await parentSamples(act.trx, parent) }
      })
    },

    /** Sets up an audit, or a deep dive into some of a first audit's consented cases. */
    async createAudit(user: CurrentUser, raw: unknown, parentId: string | null, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const options = await setupOptions(act.trx, user)
        const parent = parentId ? await loadAudit(act, parentId, true) : null
        const samples = parent ? await parentSamples(act.trx, parent) : []
        const form: SetupForm = { ...options, parent, parentSamples: samples }
        if (parent?.parentAuditId)
          return act.refuse(new ConflictError('A deep dive is made from the first audit, not from another deep dive.'))
        const checked = readSetup(raw, {
          agencies: options.agencies,
          auditors: options.auditors,
          toolIds: options.tools.map((t) => t.id),
          ...(parent ? { sampleIds: samples.map((s) => s.id) } : {}),
        })
        if (!checked.ok) return { ok: false as const, errors: checked.errors, form }
        const v = checked.value
        const id = await repo.insertAudit(act.trx, {
          partnershipId: user.partnershipId,
          theme: v.theme,
          panelDate: v.panelDate,
          toolId: v.toolId,
          purpose: v.purpose,
          parentAuditId: parent?.id ?? null,
          createdBy: user.id,
        })
        await repo.replaceAuditAgencies(act.trx, user.partnershipId, id, v.agencies)
        if (parent) {
          // The same families' consent carries over to the deep dive, case by case.
          const chosen = samples.filter((s) => v.sampleIds.includes(s.id))
          await repo.insertSamples(
            act.trx,
            user.partnershipId,
            id,
            chosen.map((s, i) => ({
              caseId: s.caseId,
              drawNumber: i + 1,
              consent: 'GIVEN' as const,
              consentBy: s.consentBy,
              consentOn: s.consentOn?.toISOString().slice(0, 10) ?? null,
              consentHow: s.consentHow,
            })),
          )
        }
        await act.record(
          about(parent ? 'create-deep-dive' : 'create', 'case-audit', id, {
            parentAuditId: parent?.id ?? null,
            agencies: v.agencies.length,
          }),
        )
        return { ok: true as const, id }
      })
    },

    /** The audit's page: what the business manager runs, and the cases a lead auditor audits. */
    async overview(user: CurrentUser, auditId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const { trx } = act
        const { audit: a, agencies, samples, summaries, deepDives } = await readAudit(act, auditId, 'view')
        const findings = await repo.listFindings(trx, [a.id])
        const recommendations = await repo.listRecommendations(trx, [a.id])
        const parent = a.parentAuditId ? await repo.findAudit(trx, a.parentAuditId) : undefined
        const myAgency = agencies.find((x) => x.participation === 'TAKING_PART' && x.leadAuditorId === user.id) ?? null
        const numbers = processNumbers(a.cohortCaseIds?.length ?? 0, samples, agencies, summaries)
        const cohortOptions = { agencies: await org.agencies(trx, user.partnershipId), statuses: STATUSES }
        return {
          audit: a,
          agencies,
          samples,
          summaries,
          findings,
          recommendations,
          deepDives,
          parent: parent ?? null,
          myAgency,
          numbers,
          canManage: isManager(user),
          cohortOptions,
        }
      })
    },

    /** Counts the cohort (preview), or draws the sample from it with a recorded seed. */
    async cohort(user: CurrentUser, auditId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'sample')
        if (a.parentAuditId)
          return act.refuse(new ConflictError('A deep dive looks at cases of the first audit; it does not draw its own sample.'))
        if (a.sampledAt)
          return act.refuse(
            new ConflictError('The sample for this audit has already been drawn.', ['Record a refusal of consent to draw a replacement.']),
          )
        const agencies = await org.agencies(act.trx, user.partnershipId)
        const form = readCohort(
          raw,
          agencies.map((g) => g.id),
          STATUSES,
        )
        if (!form.ok) return { kind: 'invalid' as const, errors: form.errors }
        const caseIds = await repo.cohort(act.trx, form.value.filter)
        if (!form.value.draw) return { kind: 'preview' as const, count: caseIds.length }
        const seed = form.value.seedValue ?? randomInt(0, 0xffffffff)
        const drawn = drawSample(caseIds, seed, form.value.sizeValue)
        if (!drawn.ok) return { kind: 'invalid' as const, errors: drawn.errors, count: caseIds.length }
        await repo.recordSample(act.trx, a.id, { filter: form.value.filter, caseIds, size: form.value.sizeValue, seed, by: user.id })
        await repo.insertSamples(act.trx, user.partnershipId, a.id, drawn.value)
        await act.record(about('sample', 'case-audit', a.id, { cohort: caseIds.length, size: drawn.value.length, seed }))
        return { kind: 'drawn' as const, count: drawn.value.length, seed }
      })
    },

    async consentForm(user: CurrentUser, auditId: string, sampleId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const { audit, sample } = await sampleOf(act, auditId, sampleId)
        return { audit, sample: act.found(sample) }
      })
    },

    /** Consent for one sampled case. A refusal is counted and, if asked, the next case in the seeded order is drawn. */
    async recordConsent(user: CurrentUser, auditId: string, sampleId: string, input: ConsentInput, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'consent')
        const samples = await repo.listSamples(act.trx, a.id)
        const sample = act.found(samples.find((s) => s.id === sampleId))
        if (sample.consent === 'GIVEN' || sample.consent === 'REFUSED')
          return act.refuse(new ConflictError('Consent for this case has already been recorded.'))
        const checked = validateConsent(input, londonDate(now()))
        if (!checked.ok) return { ok: false as const, errors: checked.errors, audit: a, sample }
        const c = checked.value
        await repo.updateConsent(act.trx, sample.id, { state: c.state, by: c.by, on: c.on, how: c.how, recordedBy: user.id })
        let replacement: number | null = null
        let noneLeft = false
        if (c.replace) {
          const next = a.cohortCaseIds && a.seed !== null ? nextDraw(a.cohortCaseIds, Number(a.seed), samples.length) : null
          if (next) {
            await repo.insertSamples(act.trx, user.partnershipId, a.id, [{ ...next, replacesSampleId: sample.id }])
            replacement = next.drawNumber
          } else noneLeft = true
        }
        await act.record(
          about('consent', 'case-audit-sample', sample.id, { auditId: a.id, consent: c.state, replacementDraw: replacement }),
        )
        return { ok: true as const, state: c.state, replacement, noneLeft }
      })
    },

    async readCase(user: CurrentUser, auditId: string, sampleId: string, requestId: string) {
      return access.run(user, requestId, async (act) => auditorPage(act, await auditorAccess(act, auditId, sampleId, 'read')))
    },

    /** The lead auditor's summary sheet for their own agency: grades only from the tool's scale. */
    async saveSummary(user: CurrentUser, auditId: string, sampleId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const allowed = await auditorAccess(act, auditId, sampleId, 'save-summary')
        const page = await auditorPage(act, allowed)
        const def = page.tool.definition
        const input = readSummary(
          raw,
          def.sections.flatMap((s) => s.questions.map((q) => q.code)),
          def.sections.length,
        )
        const checked = validateSummary(input, def)
        if (!checked.ok) return { ok: false as const, errors: checked.errors, page }
        const v = checked.value
        await repo.saveSummary(act.trx, {
          partnershipId: user.partnershipId,
          auditId: allowed.audit.id,
          sampleId: allowed.sample.id,
          agencyId: allowed.agency.agencyId,
          auditorId: user.id,
          answers: { grades: v.grades, notes: v.notes },
          overallGrade: v.overall,
          summary: v.summary,
          feedbackGiven: v.feedbackGiven,
          feedback: v.feedback,
        })
        return { ok: true as const }
      })
    },

    async recordPanel(user: CurrentUser, auditId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'panel')
        const form = readPanel(raw)
        const consented = (await repo.listSamples(act.trx, a.id)).filter((s) => s.consent === 'GIVEN').map((s) => s.id)
        const discussed = form.discussed.filter((id) => consented.includes(id))
        const notes = form.notes.trim()
        const errors: FieldError[] = []
        const when = checkAuditWhen(form.when, 'panel', a, { now: now(), lateAfterDays: lateEntryDays })
        if (!when.ok) errors.push(...when.errors)
        if (notes.length > 5000) errors.push({ href: '#panel-notes', text: 'The panel’s notes must be 5000 characters or fewer' })
        if (errors.length || !when.ok) return { ok: false as const, errors }
        const held = when.value
        await repo.recordPanel(act.trx, a.id, { discussed, notes: notes || null, heldAt: held.occurredAt, lateReason: held.lateReason })
        await act.record(about('panel', 'case-audit', a.id, { discussed: discussed.length, ...whenDetail(held) }))
        return { ok: true as const, discussed: discussed.length }
      })
    },

    /** A finding, with when it was agreed (blank: now; not before the audit was set up). */
    async addFinding(user: CurrentUser, auditId: string, input: FindingInput, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'finding')
        const checked = validateFinding(input)
        const when = checkAuditWhen(input.when ?? NOW, 'finding', a, { now: now(), lateAfterDays: lateEntryDays })
        if (!checked.ok || !when.ok)
          return { ok: false as const, errors: [...(checked.ok ? [] : checked.errors), ...(when.ok ? [] : when.errors)] }
        await repo.insertFinding(act.trx, {
          partnershipId: user.partnershipId,
          auditId: a.id,
          ...checked.value,
          occurredAt: when.value.occurredAt,
          lateReason: when.value.lateReason,
          createdBy: user.id,
        })
        await act.record(about('finding', 'case-audit', a.id, { kind: checked.value.kind, ...whenDetail(when.value) }))
        return { ok: true as const }
      })
    },

    async addRecommendation(user: CurrentUser, auditId: string, input: RecommendationInput, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'recommendation')
        const takingPart = (await takingPartIn(act.trx, a.id)).map((x) => x.agencyId)
        const checked = validateRecommendation(input, takingPart)
        if (!checked.ok) return { ok: false as const, errors: checked.errors }
        await repo.insertRecommendation(act.trx, { partnershipId: user.partnershipId, auditId: a.id, ...checked.value, createdBy: user.id })
        await act.record(about('recommendation', 'case-audit', a.id))
        return { ok: true as const }
      })
    },

    /** The recommendations (the audit's and its deep dives') as actions in the audit's review. Repeatable. */
    async sendToPlan(user: CurrentUser, auditId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await loadAudit(act, auditId, true)
        if (a.parentAuditId) return act.refuse(new ConflictError('A deep dive’s recommendations go to the plan of the first audit.'))
        const deepDives = await repo.listDeepDives(act.trx, a.id)
        const ids = [a.id, ...deepDives.map((d) => d.id)]
        const recs = await repo.listRecommendations(act.trx, ids)
        if (!recs.length) return act.refuse(new ConflictError('There are no recommendations to send to the action plan yet.'))
        const takingPart = new Map<string, string[]>()
        for (const id of ids)
          takingPart.set(
            id,
            (await takingPartIn(act.trx, id)).map((x) => x.agencyId),
          )
        const names = new Map((await org.agencies(act.trx, user.partnershipId, { includeRetired: true })).map((g) => [g.id, g.name]))
        const plan = auditPlan(a, deepDives, recs, takingPart, names)
        const { reviewId, result } = await sendRecommendationsToReview(act.trx, {
          partnershipId: user.partnershipId,
          actorId: user.id,
          audit: a,
          plan,
          at: now(),
        })
        await repo.markSentToPlan(act.trx, ids, reviewId, a.id)
        await act.record(about('send-to-plan', 'case-audit', a.id, { reviewId, actionsCreated: result.created.actions }))
        return { reviewId, created: result.created.actions, total: result.actions }
      })
    },

    /** Closes the audit: from now on its cases are not open to anyone through it. */
    async close(user: CurrentUser, auditId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const a = await forChange(act, auditId, 'close')
        await repo.close(act.trx, a.id, user.id)
        await act.record(about('close', 'case-audit', a.id))
        return { ok: true as const }
      })
    },

    /** Everything the executive summary states, counted from the records. No child's details. */
    async report(user: CurrentUser, auditId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const { trx } = act
        const { audit: a, agencies, samples, summaries, deepDives } = await readAudit(act, auditId, 'report')
        const findings = await repo.listFindings(trx, [a.id, ...deepDives.map((d) => d.id)])
        const recs = await repo.listRecommendations(trx, [a.id, ...deepDives.map((d) => d.id)])
        const dives = []
        for (const d of deepDives) {
          const takingPart = await takingPartIn(trx, d.id)
          dives.push({
            audit: d,
            cases: (await repo.listSamples(trx, d.id)).length,
            agencies: takingPart,
            conclusions: findings.filter((f) => f.auditId === d.id),
            recommendations: recs.filter((r) => r.auditId === d.id),
          })
        }
        return {
          partnership: await partnershipName(trx, user.partnershipId),
          audit: a,
          numbers: processNumbers(a.cohortCaseIds?.length ?? 0, samples, agencies, summaries),
          takingPart: agencies.filter((x) => x.participation === 'TAKING_PART'),
          unable: agencies.filter((x) => x.participation === 'UNABLE'),
          goodPractice: findings.filter((f) => f.auditId === a.id && f.kind === 'GOOD_PRACTICE'),
          learning: findings.filter((f) => f.auditId === a.id && f.kind !== 'GOOD_PRACTICE'),
          recommendations: recs.filter((r) => r.auditId === a.id),
          deepDives: dives,
        }
      })
    },

    async themes(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await act.record(about('themes', 'case-audit', null))
        return repo.themeCounts(act.trx)
      })
    },
  }
}
export type CaseAuditsService = ReturnType<typeof caseAuditsService>
export type CaseAuditReport = Awaited<ReturnType<CaseAuditsService['report']>>
export type AuditorCasePage = Exclude<Awaited<ReturnType<CaseAuditsService['readCase']>>, never>
