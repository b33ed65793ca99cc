import { randomInt } from 'node:crypto'
import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ConflictError, ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { CASE_STATUSES } from '../cases/pathway.rules.js'
import { readCohort, readPanel, readSetup, readSummary, readTool } from './case-audits.form.js'
import { auditPlan, sendRecommendationsToReview } from './case-audits.plan-bridge.js'
import { caseAuditsRepository, partnershipName, type AuditRow, type SampleRow, type ToolRow } from './case-audits.repository.js'
import { ageBandOf, drawSample, nextDraw, parseToolDefinition, processNumbers, validateConsent, validateFinding, validateRecommendation, validateSummary, type ConsentInput, type RecommendationInput } from './case-audits.rules.js'

type Deps = { db: Db; audit: AuditRepository; now?: () => Date }

/** A refusal found inside a transaction: its audit row commits, then the error is shown. */
class Refusal {
  constructor(readonly error: HttpError) {}
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
export function caseAuditsService({ db, audit, now = () => new Date() }: Deps) {
  const repo = caseAuditsRepository()

  async function run<T>(user: CurrentUser, fn: (trx: Trx) => Promise<T | Refusal>): Promise<T> {
    const out = await transaction(db, { partnershipId: user.partnershipId }, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function log(trx: Trx, user: CurrentUser, action: string, recordType: string, recordId: string | null, requestId: string, detail: Record<string, string | number | boolean | null> = {}, allowed = true) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `case-audit:${action}`, recordType, recordId, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail })
  }

  async function loadAudit(trx: Trx, auditId: string, lock = false): Promise<AuditRow> {
    const found = lock ? await repo.lockAudit(trx, auditId) : await repo.findAudit(trx, auditId)
    if (!found) throw new NotFoundError()
    return found
  }

  /** A change by the business manager to an open audit (the route checked reviews:manage). */
  async function forChange(trx: Trx, user: CurrentUser, auditId: string, action: string, requestId: string): Promise<AuditRow | Refusal> {
    const a = await loadAudit(trx, auditId, true)
    if (a.status === 'CLOSED') {
      await log(trx, user, action, 'case-audit', a.id, requestId, { status: 409 }, false)
      return new Refusal(new ConflictError(CLOSED))
    }
    return a
  }

  const isManager = (user: CurrentUser) => canInPartnership(user, 'reviews:manage')

  async function setupOptions(trx: Trx, user: CurrentUser) {
    await repo.ensureBuiltInTool(trx, user.partnershipId)
    const [tools, agencies, auditors] = [await repo.listTools(trx), await repo.listAgencies(trx, user.partnershipId), await repo.listLeadAuditors(trx, user.partnershipId)]
    return { tools, agencies, auditors }
  }

  async function parentSamples(trx: Trx, parent: AuditRow) {
    return (await repo.listSamples(trx, parent.id)).filter((s) => s.consent === 'GIVEN')
  }

  /**
   * The sampled case for a lead auditor: only an assigned lead auditor of an open audit, only a
   * case whose consent is given, and only their own agency's summary sheet. Every attempt audited.
   */
  async function auditorAccess(trx: Trx, user: CurrentUser, auditId: string, sampleId: string, action: string, requestId: string) {
    const a = await loadAudit(trx, auditId)
    const sample = (await repo.listSamples(trx, a.id)).find((s) => s.id === sampleId)
    const agencies = await repo.listAuditAgencies(trx, a.id)
    const mine = agencies.find((x) => x.participation === 'TAKING_PART' && x.leadAuditorId === user.id)
    const refusal =
      !sample ? new NotFoundError()
      : !mine ? new ForbiddenError('Only the lead auditors assigned to this audit can read its cases.')
      : a.status !== 'OPEN' ? new ForbiddenError(CLOSED)
      : sample.consent !== 'GIVEN' ? new ForbiddenError('Consent has not been given for this case, so it is not open to auditors.')
      : null
    const data = sample && !refusal ? await repo.caseForAudit(trx, sample.caseId) : undefined
    const restricted = !!data?.kase.isRestricted
    const error = refusal ?? (restricted ? new ForbiddenError('This case is a restricted record and cannot be audited.') : null)
    await log(trx, user, action, 'case', sample?.caseId ?? null, requestId, { auditId: a.id, sampleId, ...(error ? { reason: error.status } : {}) }, !error)
    if (error || !data || !mine || !sample) return new Refusal(error ?? new NotFoundError())
    return { audit: a, sample, agency: mine, data }
  }

  async function auditorPage(trx: Trx, access: Exclude<Awaited<ReturnType<typeof auditorAccess>>, Refusal>, user: CurrentUser) {
    const tool = await repo.findTool(trx, access.audit.toolId)
    const summary = await repo.findSummary(trx, access.sample.id, access.agency.agencyId)
    const { kase, events, meetings } = access.data
    return {
      audit: access.audit,
      sample: access.sample,
      agency: access.agency,
      tool: tool!,
      summary,
      kase: { status: kase.status, rating: kase.rating, route: kase.route, referralReceivedAt: kase.referralReceivedAt, openedAt: kase.openedAt, closedAt: kase.closedAt, ageBand: ageBandOf(kase.dateOfBirth.toISOString().slice(0, 10), londonDate(now())) },
      events,
      meetings: meetings.map((m) => ({ kind: m.kind, heldAt: m.heldAt, scheduledFor: m.scheduledFor, status: m.status, outcomes: m.outcomes })),
      user: user.id,
    }
  }

  return {
    async list(user: CurrentUser, requestId: string) {
      return run(user, async (trx) => {
        await log(trx, user, 'list', 'case-audit', null, requestId)
        const audits = await repo.listAudits(trx)
        const mine = new Set(await repo.auditsForAuditor(trx, user.id))
        return { audits, mine: audits.filter((a) => mine.has(a.id)), canManage: isManager(user) }
      })
    },

    async tools(user: CurrentUser) {
      return run(user, async (trx) => {
        await repo.ensureBuiltInTool(trx, user.partnershipId)
        return { tools: await repo.listTools(trx), canManage: isManager(user) }
      })
    },

    async tool(user: CurrentUser, toolId: string) {
      return run(user, async (trx) => (await repo.findTool(trx, toolId)) ?? new Refusal(new NotFoundError()))
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
      return run(user, async (trx) => {
        if (await repo.toolNameTaken(trx, name)) return { ok: false as const, errors: [{ href: '#name', text: 'An audit tool with this name already exists' }] }
        const id = await repo.insertTool(trx, { partnershipId: user.partnershipId, name, source: input.format === 'JSON' ? 'JSON' : 'CSV', definition: parsed.value, createdBy: user.id })
        await log(trx, user, 'create-tool', 'case-audit-tool', id, requestId, { questions: parsed.value.sections.reduce((n, s) => n + s.questions.length, 0) })
        return { ok: true as const, id }
      })
    },

    async setupForm(user: CurrentUser, parentId: string | null): Promise<SetupForm> {
      return run(user, async (trx) => {
        const options = await setupOptions(trx, user)
        if (!parentId) return { ...options, parent: null, parentSamples: [] }
        const parent = await loadAudit(trx, parentId)
        return { ...options, parent, parentSamples: await parentSamples(trx, parent) }
      })
    },

    /** Sets up an audit, or a deep dive into some of a first audit's consented cases. */
    async createAudit(user: CurrentUser, raw: unknown, parentId: string | null, requestId: string) {
      return run(user, async (trx) => {
        const options = await setupOptions(trx, user)
        const parent = parentId ? await loadAudit(trx, parentId, true) : null
        const samples = parent ? await parentSamples(trx, parent) : []
        const form: SetupForm = { ...options, parent, parentSamples: samples }
        if (parent?.parentAuditId) return new Refusal(new ConflictError('A deep dive is made from the first audit, not from another deep dive.'))
        const checked = readSetup(raw, { agencies: options.agencies, auditors: options.auditors, toolIds: options.tools.map((t) => t.id), ...(parent ? { sampleIds: samples.map((s) => s.id) } : {}) })
        if (!checked.ok) return { ok: false as const, errors: checked.errors, form }
        const v = checked.value
        const id = await repo.insertAudit(trx, { partnershipId: user.partnershipId, theme: v.theme, panelDate: v.panelDate, toolId: v.toolId, purpose: v.purpose, parentAuditId: parent?.id ?? null, createdBy: user.id })
        await repo.replaceAuditAgencies(trx, user.partnershipId, id, v.agencies)
        if (parent) {
          // The same families' consent carries over to the deep dive, case by case.
          const chosen = samples.filter((s) => v.sampleIds.includes(s.id))
          await repo.insertSamples(trx, user.partnershipId, id, chosen.map((s, i) => ({ caseId: s.caseId, drawNumber: i + 1, consent: 'GIVEN' as const, consentBy: s.consentBy, consentOn: s.consentOn?.toISOString().slice(0, 10) ?? null, consentHow: s.consentHow })))
        }
        await log(trx, user, parent ? 'create-deep-dive' : 'create', 'case-audit', id, requestId, { parentAuditId: parent?.id ?? null, agencies: v.agencies.length })
        return { ok: true as const, id }
      })
    },

    /** The audit's page: what the business manager runs, and the cases a lead auditor audits. */
    async overview(user: CurrentUser, auditId: string, requestId: string) {
      return run(user, async (trx) => {
        const a = await loadAudit(trx, auditId)
        await log(trx, user, 'view', 'case-audit', a.id, requestId)
        const [agencies, samples, summaries, deepDives] = [await repo.listAuditAgencies(trx, a.id), await repo.listSamples(trx, a.id), await repo.listSummaries(trx, a.id), await repo.listDeepDives(trx, a.id)]
        const findings = await repo.listFindings(trx, [a.id])
        const recommendations = await repo.listRecommendations(trx, [a.id])
        const parent = a.parentAuditId ? await repo.findAudit(trx, a.parentAuditId) : undefined
        const myAgency = agencies.find((x) => x.participation === 'TAKING_PART' && x.leadAuditorId === user.id) ?? null
        const numbers = processNumbers(a.cohortCaseIds?.length ?? 0, samples, agencies, summaries)
        const cohortOptions = { agencies: await repo.listAgencies(trx, user.partnershipId), statuses: STATUSES }
        return { audit: a, agencies, samples, summaries, findings, recommendations, deepDives, parent: parent ?? null, myAgency, numbers, canManage: isManager(user), cohortOptions }
      })
    },

    /** Counts the cohort (preview), or draws the sample from it with a recorded seed. */
    async cohort(user: CurrentUser, auditId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'sample', requestId)
        if (a instanceof Refusal) return a
        if (a.parentAuditId) return new Refusal(new ConflictError('A deep dive looks at cases of the first audit; it does not draw its own sample.'))
        if (a.sampledAt) return new Refusal(new ConflictError('The sample for this audit has already been drawn.', ['Record a refusal of consent to draw a replacement.']))
        const agencies = await repo.listAgencies(trx, user.partnershipId)
        const form = readCohort(raw, agencies.map((g) => g.id), STATUSES)
        if (!form.ok) return { kind: 'invalid' as const, errors: form.errors }
        const caseIds = await repo.cohort(trx, form.value.filter)
        if (!form.value.draw) return { kind: 'preview' as const, count: caseIds.length }
        const seed = form.value.seedValue ?? randomInt(0, 0xffffffff)
        const drawn = drawSample(caseIds, seed, form.value.sizeValue)
        if (!drawn.ok) return { kind: 'invalid' as const, errors: drawn.errors, count: caseIds.length }
        await repo.recordSample(trx, a.id, { filter: form.value.filter, caseIds, size: form.value.sizeValue, seed, by: user.id })
        await repo.insertSamples(trx, user.partnershipId, a.id, drawn.value)
        await log(trx, user, 'sample', 'case-audit', a.id, requestId, { cohort: caseIds.length, size: drawn.value.length, seed })
        return { kind: 'drawn' as const, count: drawn.value.length, seed }
      })
    },

    async consentForm(user: CurrentUser, auditId: string, sampleId: string) {
      return run(user, async (trx) => {
        const a = await loadAudit(trx, auditId)
        const sample = (await repo.listSamples(trx, a.id)).find((s) => s.id === sampleId)
        return sample ? { audit: a, sample } : new Refusal(new NotFoundError())
      })
    },

    /** Consent for one sampled case. A refusal is counted and, if asked, the next case in the seeded order is drawn. */
    async recordConsent(user: CurrentUser, auditId: string, sampleId: string, input: ConsentInput, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'consent', requestId)
        if (a instanceof Refusal) return a
        const samples = await repo.listSamples(trx, a.id)
        const sample = samples.find((s) => s.id === sampleId)
        if (!sample) return new Refusal(new NotFoundError())
        if (sample.consent === 'GIVEN' || sample.consent === 'REFUSED') return new Refusal(new ConflictError('Consent for this case has already been recorded.'))
        const checked = validateConsent(input, londonDate(now()))
        if (!checked.ok) return { ok: false as const, errors: checked.errors, audit: a, sample }
        const c = checked.value
        await repo.updateConsent(trx, sample.id, { state: c.state, by: c.by, on: c.on, how: c.how, recordedBy: user.id })
        let replacement: number | null = null
        let noneLeft = false
        if (c.replace) {
          const next = a.cohortCaseIds && a.seed !== null ? nextDraw(a.cohortCaseIds, Number(a.seed), samples.length) : null
          if (next) {
            await repo.insertSamples(trx, user.partnershipId, a.id, [{ ...next, replacesSampleId: sample.id }])
            replacement = next.drawNumber
          } else noneLeft = true
        }
        await log(trx, user, 'consent', 'case-audit-sample', sample.id, requestId, { auditId: a.id, consent: c.state, replacementDraw: replacement })
        return { ok: true as const, state: c.state, replacement, noneLeft }
      })
    },

    async readCase(user: CurrentUser, auditId: string, sampleId: string, requestId: string) {
      return run(user, async (trx) => {
        const access = await auditorAccess(trx, user, auditId, sampleId, 'read', requestId)
        return access instanceof Refusal ? access : auditorPage(trx, access, user)
      })
    },

    /** The lead auditor's summary sheet for their own agency: grades only from the tool's scale. */
    async saveSummary(user: CurrentUser, auditId: string, sampleId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        const access = await auditorAccess(trx, user, auditId, sampleId, 'save-summary', requestId)
        if (access instanceof Refusal) return access
        const page = await auditorPage(trx, access, user)
        const def = page.tool.definition
        const input = readSummary(raw, def.sections.flatMap((s) => s.questions.map((q) => q.code)), def.sections.length)
        const checked = validateSummary(input, def)
        if (!checked.ok) return { ok: false as const, errors: checked.errors, page }
        const v = checked.value
        await repo.saveSummary(trx, { partnershipId: user.partnershipId, auditId: access.audit.id, sampleId: access.sample.id, agencyId: access.agency.agencyId, auditorId: user.id, answers: { grades: v.grades, notes: v.notes }, overallGrade: v.overall, summary: v.summary, feedbackGiven: v.feedbackGiven, feedback: v.feedback })
        return { ok: true as const }
      })
    },

    async recordPanel(user: CurrentUser, auditId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'panel', requestId)
        if (a instanceof Refusal) return a
        const form = readPanel(raw)
        const consented = (await repo.listSamples(trx, a.id)).filter((s) => s.consent === 'GIVEN').map((s) => s.id)
        const discussed = form.discussed.filter((id) => consented.includes(id))
        const notes = form.notes.trim()
        if (notes.length > 5000) return { ok: false as const, errors: [{ href: '#panel-notes', text: 'The panel’s notes must be 5000 characters or fewer' }] }
        await repo.recordPanel(trx, a.id, discussed, notes || null)
        await log(trx, user, 'panel', 'case-audit', a.id, requestId, { discussed: discussed.length })
        return { ok: true as const, discussed: discussed.length }
      })
    },

    async addFinding(user: CurrentUser, auditId: string, input: { kind: string; text: string; tags: string }, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'finding', requestId)
        if (a instanceof Refusal) return a
        const checked = validateFinding(input)
        if (!checked.ok) return { ok: false as const, errors: checked.errors }
        await repo.insertFinding(trx, { partnershipId: user.partnershipId, auditId: a.id, ...checked.value, createdBy: user.id })
        await log(trx, user, 'finding', 'case-audit', a.id, requestId, { kind: checked.value.kind })
        return { ok: true as const }
      })
    },

    async addRecommendation(user: CurrentUser, auditId: string, input: RecommendationInput, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'recommendation', requestId)
        if (a instanceof Refusal) return a
        const takingPart = (await repo.listAuditAgencies(trx, a.id)).filter((x) => x.participation === 'TAKING_PART').map((x) => x.agencyId)
        const checked = validateRecommendation(input, takingPart)
        if (!checked.ok) return { ok: false as const, errors: checked.errors }
        await repo.insertRecommendation(trx, { partnershipId: user.partnershipId, auditId: a.id, ...checked.value, createdBy: user.id })
        await log(trx, user, 'recommendation', 'case-audit', a.id, requestId)
        return { ok: true as const }
      })
    },

    /** The recommendations (the audit's and its deep dives') as actions in the audit's review. Repeatable. */
    async sendToPlan(user: CurrentUser, auditId: string, requestId: string) {
      return run(user, async (trx) => {
        const a = await loadAudit(trx, auditId, true)
        if (a.parentAuditId) return new Refusal(new ConflictError('A deep dive’s recommendations go to the plan of the first audit.'))
        const deepDives = await repo.listDeepDives(trx, a.id)
        const ids = [a.id, ...deepDives.map((d) => d.id)]
        const recs = await repo.listRecommendations(trx, ids)
        if (!recs.length) return new Refusal(new ConflictError('There are no recommendations to send to the action plan yet.'))
        const takingPart = new Map<string, string[]>()
        for (const id of ids) takingPart.set(id, (await repo.listAuditAgencies(trx, id)).filter((x) => x.participation === 'TAKING_PART').map((x) => x.agencyId))
        const names = new Map((await repo.listAgencies(trx, user.partnershipId)).map((g) => [g.id, g.name]))
        const plan = auditPlan(a, deepDives, recs, takingPart, names)
        const { reviewId, result } = await sendRecommendationsToReview(trx, { partnershipId: user.partnershipId, actorId: user.id, audit: a, plan })
        await repo.markSentToPlan(trx, ids, reviewId, a.id)
        await log(trx, user, 'send-to-plan', 'case-audit', a.id, requestId, { reviewId, actionsCreated: result.created.actions })
        return { reviewId, created: result.created.actions, total: result.actions }
      })
    },

    /** Closes the audit: from now on its cases are not open to anyone through it. */
    async close(user: CurrentUser, auditId: string, requestId: string) {
      return run(user, async (trx) => {
        const a = await forChange(trx, user, auditId, 'close', requestId)
        if (a instanceof Refusal) return a
        await repo.close(trx, a.id, user.id)
        await log(trx, user, 'close', 'case-audit', a.id, requestId)
        return { ok: true as const }
      })
    },

    /** Everything the executive summary states, counted from the records. No child's details. */
    async report(user: CurrentUser, auditId: string, requestId: string) {
      return run(user, async (trx) => {
        const a = await loadAudit(trx, auditId)
        await log(trx, user, 'report', 'case-audit', a.id, requestId)
        const [agencies, samples, summaries, deepDives] = [await repo.listAuditAgencies(trx, a.id), await repo.listSamples(trx, a.id), await repo.listSummaries(trx, a.id), await repo.listDeepDives(trx, a.id)]
        const findings = await repo.listFindings(trx, [a.id, ...deepDives.map((d) => d.id)])
        const recs = await repo.listRecommendations(trx, [a.id, ...deepDives.map((d) => d.id)])
        const dives = []
        for (const d of deepDives) {
          const ag = await repo.listAuditAgencies(trx, d.id)
          dives.push({
            audit: d,
            cases: (await repo.listSamples(trx, d.id)).length,
            agencies: ag.filter((x) => x.participation === 'TAKING_PART'),
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
      return run(user, async (trx) => {
        await log(trx, user, 'themes', 'case-audit', null, requestId)
        return repo.themeCounts(trx)
      })
    },
  }
}
export type CaseAuditsService = ReturnType<typeof caseAuditsService>
export type CaseAuditReport = Awaited<ReturnType<CaseAuditsService['report']>>
export type AuditorCasePage = Exclude<Awaited<ReturnType<CaseAuditsService['readCase']>>, never>
