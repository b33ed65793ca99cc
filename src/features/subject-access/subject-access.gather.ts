import type { Trx } from '../../platform/db/transaction.js'
import { CLOCK_LABELS, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { doneLabel, STATUS_LABELS as CASE_STATUS_LABELS } from '../cases/index.js'
import { KIND_LABELS as CRIMINAL_KIND_LABELS } from '../criminal-process/index.js'
import { MEETING_KIND_LABELS } from '../meetings/index.js'
import type { ItemField } from './subject-access.rules.js'

/**
 * Gathering: every item the partnership holds about one child, from every feature's tables, read
 * in the caller's transaction (the tables are in the Database type by declaration merging, as
 * insight reads them) and turned into items as they read now: a title, when it happened, and its
 * fields in words. Ids other features use stay in `sourceId` only.
 */

export type GatheredItem = { source: string; sourceId: string; title: string; occurredAt: Date | null; fields: ItemField[] }
/** Someone else whose name appears in the child's records: the linked children. */
export type ThirdPartyChild = { id: string; givenNames: string; familyName: string }
export type Gathered = { items: GatheredItem[]; linkedChildren: ThirdPartyChild[] }

/** Each source in words, in the order the bundle shows them. */
export const SOURCE_LABELS: Record<string, string> = {
  child: 'The child’s record',
  child_link: 'Linked children',
  child_involvement: 'Agencies and people working with the child',
  hsb_case: 'Cases',
  request_for_support: 'Requests for support',
  request_update: 'Updates shared with the person who raised a request',
  screening: 'Screenings',
  case_event: 'Steps on the case',
  case_clock: 'Timescales',
  meeting: 'Meetings',
  meeting_addendum: 'Additions to meeting minutes',
  aim_assessment: 'AIM assessments',
  aim_information: 'Information collated for an assessment',
  aim_interview: 'Assessment interviews',
  aim_extension: 'Assessment extensions',
  intervention_plan: 'Intervention plans',
  hsb_panel: 'HSB panel',
  case_closure: 'Case closure',
  criminal_process: 'Criminal process',
  chronology_entry: 'Chronology entries',
  case_factor: 'Case factors',
  abe_material: 'Restricted interview material (ABE): that it exists',
  ssd_record: 'Records brought in from the council’s case system',
  case_audit: 'Multi-agency case audits',
}

const f = (key: string, label: string, value: unknown): ItemField | null => {
  const text = valueText(value).trim()
  return text ? { key, label, value: text } : null
}
const fields = (...list: (ItemField | null)[]): ItemField[] => list.filter((x): x is ItemField => x !== null)

/** A stored value in words: text as it is, lists joined, structured answers as "name: value". */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return formatDateTime(v)
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v)
  if (Array.isArray(v)) return v.map(valueText).filter(Boolean).join('; ')
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, valueText(x)] as const)
      .filter(([, x]) => x)
      .map(([k, x]) => `${humanise(k)}: ${x}`)
      .join('; ')
  return ''
}
const humanise = (key: string) => {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
/** Structured answers (minutes, an assessment's record) one field each. */
const structured = (prefix: string, v: unknown): ItemField[] =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? fields(...Object.entries(v as Record<string, unknown>).map(([k, x]) => f(`${prefix}.${k}`, humanise(k), x)))
    : fields(f(prefix, humanise(prefix), v))

const dateOnly = (d: Date | null | undefined) => (d ? formatDate(d) : '')

export async function gatherForChild(trx: Trx, partnershipId: string, childId: string): Promise<Gathered> {
  const people = new Map(
    (await trx.selectFrom('appUser').select(['id', 'displayName']).where('partnershipId', '=', partnershipId).execute()).map((u) => [
      u.id,
      u.displayName,
    ]),
  )
  const agencies = new Map(
    (await trx.selectFrom('agency').select(['id', 'name']).where('partnershipId', '=', partnershipId).execute()).map((a) => [a.id, a.name]),
  )
  const teams = new Map(
    (await trx.selectFrom('team').select(['id', 'name']).where('partnershipId', '=', partnershipId).execute()).map((t) => [t.id, t.name]),
  )
  const who = (id: string | null | undefined) => (id ? (people.get(id) ?? '') : '')
  const agency = (id: string | null | undefined) => (id ? (agencies.get(id) ?? '') : '')
  const items: GatheredItem[] = []
  const add = (source: string, sourceId: string, title: string, occurredAt: Date | null, list: ItemField[]) =>
    items.push({ source, sourceId, title, occurredAt, fields: list })

  const child = await trx
    .selectFrom('child')
    .selectAll()
    .where('id', '=', childId)
    .where('partnershipId', '=', partnershipId)
    .executeTakeFirst()
  if (!child) return { items: [], linkedChildren: [] }
  add(
    'child',
    child.id,
    'The child’s record',
    child.createdAt,
    fields(
      f('name', 'Name', `${child.givenNames} ${child.familyName}`),
      f('dateOfBirth', 'Date of birth', dateOnly(child.dateOfBirth)),
      f('gender', 'Gender', child.gender),
      f('ethnicity', 'Ethnic group', child.ethnicity),
      f('nhsNumber', 'NHS number', child.nhsNumber),
      f('upn', 'Unique pupil number', child.upn),
      f('localCaseId', 'Case number', child.localCaseId),
      f('sendNeeds', 'Special educational needs', child.sendNeeds),
      f('restricted', 'Record restricted to named people', child.isRestricted),
      f('createdBy', 'Record created by', who(child.createdBy)),
    ),
  )

  // Linked children, whichever way the link was made: their names are third parties' (pre-marked by the service).
  const links = await trx
    .selectFrom('childLink as l')
    .innerJoin('child as o', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('l.childId', '=', childId), eb('o.id', '=', eb.ref('l.linkedChildId'))]),
          eb.and([eb('l.linkedChildId', '=', childId), eb('o.id', '=', eb.ref('l.childId'))]),
        ]),
      ),
    )
    .select(['l.id', 'l.kind', 'l.childId', 'l.createdAt', 'l.createdBy', 'o.id as otherId', 'o.givenNames', 'o.familyName'])
    .where('l.partnershipId', '=', partnershipId)
    .execute()
  const LINK_LABELS: Record<string, [string, string]> = {
    HARMED_CHILD: ['A child harmed by this child', 'A child who harmed this child'],
    SIBLING: ['Brother or sister', 'Brother or sister'],
    PEER: ['Another young person involved', 'Another young person involved'],
    OTHER: ['Another child linked', 'Another child linked'],
  }
  const linkedChildren = new Map<string, ThirdPartyChild>()
  for (const l of links) {
    linkedChildren.set(l.otherId, { id: l.otherId, givenNames: l.givenNames, familyName: l.familyName })
    const [from, to] = LINK_LABELS[l.kind] ?? ['Another child linked', 'Another child linked']
    add(
      'child_link',
      l.id,
      'A linked child',
      l.createdAt,
      fields(
        f('name', 'Name', `${l.givenNames} ${l.familyName}`),
        f('kind', 'How linked', l.childId === childId ? from : to),
        f('by', 'Linked by', who(l.createdBy)),
      ),
    )
  }

  const involvements = await trx.selectFrom('childInvolvement').selectAll().where('childId', '=', childId).execute()
  for (const i of involvements)
    add(
      'child_involvement',
      i.id,
      i.kind === 'ALLOCATED' ? 'Allocated' : 'Involved',
      i.startedAt,
      fields(
        f('agency', 'Agency', agency(i.agencyId)),
        f('team', 'Team', i.teamId ? teams.get(i.teamId) : ''),
        f('person', 'Person', who(i.userId)),
        f('from', 'From', i.startedAt),
        f('until', 'Until', i.endedAt),
      ),
    )

  const cases = await trx.selectFrom('hsbCase').selectAll().where('childId', '=', childId).orderBy('openedAt').execute()
  const caseIds = cases.map((k) => k.id)
  for (const k of cases)
    add(
      'hsb_case',
      k.id,
      `Case opened ${formatDate(k.referralReceivedAt)}`,
      k.referralReceivedAt,
      fields(
        f('status', 'Where the case is', CASE_STATUS_LABELS[k.status as keyof typeof CASE_STATUS_LABELS] ?? k.status),
        f('route', 'Route', k.route === 'NEW' ? 'New request' : 'Open case'),
        f('rating', 'Rating', k.rating ? `${k.rating.charAt(0)}${k.rating.slice(1).toLowerCase()}` : ''),
        f('team', 'Allocated team', k.allocatedTeamId ? teams.get(k.allocatedTeamId) : ''),
        f('worker', 'Allocated worker', who(k.allocatedUserId)),
        f('closed', 'Closed', k.closedAt),
      ),
    )

  const abeAboutChild = await trx
    .selectFrom('abeMaterial')
    .selectAll()
    .where('harmedChildId', '=', childId)
    .where('partnershipId', '=', partnershipId)
    .execute()
  for (const m of abeAboutChild)
    add(
      'abe_material',
      m.id,
      'An interview of this child (Achieving Best Evidence)',
      m.interviewedOn,
      fields(
        f('reference', 'Reference', m.reference),
        f('interviewed', 'Interviewed on', dateOnly(m.interviewedOn)),
        f('heldBy', 'Held by', agency(m.heldByAgencyId)),
        f('note', 'About this item', 'The recording and its content are held by the agency named: ask them for it.'),
      ),
    )

  if (caseIds.length === 0) return { items, linkedChildren: [...linkedChildren.values()] }

  const requests = await trx.selectFrom('requestForSupport').selectAll().where('caseId', 'in', caseIds).execute()
  for (const r of requests)
    add(
      'request_for_support',
      r.id,
      'Request for support',
      r.receivedAt,
      fields(
        f('received', 'Received', r.receivedAt),
        f('from', 'From', [who(r.referrerId), agency(r.referrerAgencyId)].filter(Boolean).join(', ')),
        f('whatHappened', 'What happened', r.whatHappened),
        f('contexts', 'Where it happened', r.contexts),
        f('otherChildren', 'Other children involved', r.otherChildren),
        f('sharingBasis', 'Basis for sharing', r.sharingBasis),
        f('consentSought', 'Consent sought', r.consentSought),
        f('sharingNote', 'About sharing', r.sharingNote),
      ),
    )

  const updates = await trx.selectFrom('requestUpdate').selectAll().where('caseId', 'in', caseIds).execute()
  for (const u of updates)
    add(
      'request_update',
      u.id,
      u.title,
      u.sharedAt,
      fields(f('title', 'Title', u.title), f('body', 'What was shared', u.body), f('by', 'Shared by', who(u.sharedBy))),
    )

  const screenings = await trx.selectFrom('screening').selectAll().where('caseId', 'in', caseIds).execute()
  for (const s of screenings)
    add(
      'screening',
      s.id,
      'Screening',
      s.screenedAt,
      fields(
        f('tool', 'Tool', `${s.tool} ${s.toolVersion}`),
        f('ageBand', 'Age band', s.ageBand),
        f('behaviours', 'Behaviours', s.behaviours),
        f('rating', 'Rating', s.overallRating),
        f('rationale', 'Rationale', s.rationale),
        f('by', 'Screened by', who(s.screenedBy)),
        f('oversight', 'Management oversight', s.oversightOutcome),
        f('oversightNote', 'Oversight note', s.oversightNote),
        f('oversightBy', 'Oversight by', who(s.oversightBy)),
      ),
    )

  const events = await trx.selectFrom('caseEvent').selectAll().where('caseId', 'in', caseIds).orderBy('occurredAt').execute()
  for (const e of events)
    add(
      'case_event',
      e.id,
      doneLabel(e.action),
      e.occurredAt,
      fields(
        f('from', 'From', e.fromStatus ? (CASE_STATUS_LABELS[e.fromStatus as keyof typeof CASE_STATUS_LABELS] ?? e.fromStatus) : ''),
        f('to', 'To', CASE_STATUS_LABELS[e.toStatus as keyof typeof CASE_STATUS_LABELS] ?? e.toStatus),
        f('by', 'By', who(e.actorId)),
        f('recorded', 'Recorded', e.recordedAt),
        f('lateReason', 'Why it was recorded late', e.lateReason),
      ),
    )

  const clocks = await trx.selectFrom('caseClock').selectAll().where('caseId', 'in', caseIds).execute()
  for (const c of clocks)
    add(
      'case_clock',
      c.id,
      CLOCK_LABELS[c.kind as ClockKind] ?? c.kind,
      c.startedAt,
      fields(
        f('started', 'Started', c.startedAt),
        f('due', 'Due', c.dueAt),
        f('met', 'Stopped', c.metAt),
        f('missedReason', 'Why it was missed', c.missedReason),
      ),
    )

  const meetings = await trx.selectFrom('meeting').selectAll().where('caseId', 'in', caseIds).execute()
  const meetingIds = meetings.map((m) => m.id)
  const invitations = meetingIds.length
    ? await trx.selectFrom('meetingInvitation').selectAll().where('meetingId', 'in', meetingIds).execute()
    : []
  const actions = meetingIds.length ? await trx.selectFrom('meetingAction').selectAll().where('meetingId', 'in', meetingIds).execute() : []
  for (const m of meetings) {
    const attendance = invitations
      .filter((i) => i.meetingId === m.id)
      .map((i) => `${[who(i.userId), agency(i.agencyId)].filter(Boolean).join(', ')}: ${i.attendance.toLowerCase()}`)
    add(
      'meeting',
      m.id,
      MEETING_KIND_LABELS[m.kind as keyof typeof MEETING_KIND_LABELS] ?? m.kind,
      m.heldAt ?? m.scheduledFor,
      fields(
        f('scheduled', 'Arranged for', m.scheduledFor),
        f('held', 'Held', m.heldAt),
        f('chair', 'Chair', who(m.chairId)),
        f('attendance', 'Attendance', attendance),
        ...structured('minutes', m.minutes),
        f('outcomes', 'Outcomes', m.outcomes),
        f(
          'actions',
          'Actions',
          actions
            .filter((a) => a.meetingId === m.id)
            .map((a) => `${a.text}${a.ownerUserId || a.ownerText ? ` (${who(a.ownerUserId) || a.ownerText})` : ''}`),
        ),
      ),
    )
  }
  const addenda = meetingIds.length
    ? await trx.selectFrom('meetingAddendum').selectAll().where('meetingId', 'in', meetingIds).execute()
    : []
  for (const a of addenda)
    add(
      'meeting_addendum',
      a.id,
      'Addition to the minutes',
      a.createdAt,
      fields(f('text', 'Added', a.text), f('by', 'By', who(a.authorId))),
    )

  const assessments = await trx.selectFrom('aimAssessment').selectAll().where('caseId', 'in', caseIds).execute()
  const assessmentIds = assessments.map((a) => a.id)
  for (const a of assessments)
    add(
      'aim_assessment',
      a.id,
      a.decision === 'ASSESS' ? 'AIM assessment' : 'Decision not to assess',
      a.decidedAt,
      fields(
        f('decision', 'Decision', a.decision === 'ASSESS' ? 'Assess' : 'No assessment'),
        f('reasons', 'Reasons', a.decisionReasons),
        f('route', 'Route', a.route ? a.route.toLowerCase() : ''),
        f('decidedBy', 'Decided by', who(a.decidedBy)),
        f('discussionNotes', 'Strategy discussion notes', a.discussionNotes),
        f('model', 'Model', a.model),
        ...structured('record', a.record),
        f('completed', 'Completed', a.completedAt),
      ),
    )
  if (assessmentIds.length) {
    for (const i of await trx.selectFrom('aimInformation').selectAll().where('assessmentId', 'in', assessmentIds).execute())
      add(
        'aim_information',
        i.id,
        `Information from ${i.source}`,
        i.datedOn,
        fields(
          f('source', 'Source', [i.source, agency(i.sourceAgencyId)].filter(Boolean).join(', ')),
          f('summary', 'Summary', i.summary),
          f('by', 'Recorded by', who(i.recordedBy)),
        ),
      )
    const INTERVIEWEES: Record<string, string> = { CHILD: 'The child', PARENT_CARER: 'A parent or carer', OTHER: 'Someone else' }
    for (const i of await trx.selectFrom('aimInterview').selectAll().where('assessmentId', 'in', assessmentIds).execute())
      add(
        'aim_interview',
        i.id,
        `Interview: ${INTERVIEWEES[i.interviewee] ?? i.interviewee}`,
        i.heldOn,
        fields(
          f('interviewee', 'Interviewed', INTERVIEWEES[i.interviewee]),
          f('intervieweeDetail', 'Who', i.intervieweeDetail),
          f('place', 'Where', i.place),
          f('notes', 'Notes', i.notes),
          f('by', 'Recorded by', who(i.recordedBy)),
        ),
      )
    for (const x of await trx.selectFrom('aimExtension').selectAll().where('assessmentId', 'in', assessmentIds).execute())
      add(
        'aim_extension',
        x.id,
        'Assessment extended',
        x.createdAt,
        fields(f('newDue', 'New date', x.newDueAt), f('reason', 'Reason', x.reason), f('by', 'By', who(x.extendedBy))),
      )
  }

  const plans = await trx
    .selectFrom('interventionPlanVersion as v')
    .innerJoin('interventionPlan as p', 'p.id', 'v.planId')
    .select(['v.id', 'v.version', 'v.goals', 'v.changeNote', 'v.createdBy', 'v.createdAt'])
    .where('p.caseId', 'in', caseIds)
    .execute()
  for (const p of plans)
    add(
      'intervention_plan',
      p.id,
      `Intervention plan, version ${p.version}`,
      p.createdAt,
      fields(f('goals', 'Goals', p.goals), f('changeNote', 'What changed', p.changeNote), f('by', 'By', who(p.createdBy))),
    )
  for (const p of await trx.selectFrom('hsbPanel').selectAll().where('caseId', 'in', caseIds).execute())
    add(
      'hsb_panel',
      p.id,
      'HSB panel',
      p.requestedAt,
      fields(
        f('reason', 'Why the panel was asked', p.reason),
        f('service', 'Service commissioned', p.serviceCommissioned),
        f('provider', 'Provider', p.provider),
        f('level', 'Level', p.level),
        f('decisionNotes', 'Decision', p.decisionNotes),
        f('decidedBy', 'Decided by', who(p.decidedBy)),
      ),
    )
  for (const c of await trx.selectFrom('caseClosure').selectAll().where('caseId', 'in', caseIds).execute())
    add(
      'case_closure',
      c.id,
      'Case closed',
      c.closedAt,
      fields(
        f('reason', 'Reason', c.reason),
        f('level', 'Level of concern', c.levelOfConcern),
        f('openWork', 'Work still open', c.openWork),
        f('by', 'Closed by', who(c.closedBy)),
      ),
    )

  for (const e of await trx.selectFrom('criminalProcessEntry').selectAll().where('caseId', 'in', caseIds).execute())
    add(
      'criminal_process',
      e.id,
      CRIMINAL_KIND_LABELS[e.kind],
      e.occurredOn,
      fields(
        f('on', 'Date', dateOnly(e.occurredOn)),
        f('ends', 'Until', dateOnly(e.endsOn)),
        f('policeReference', 'Police reference', e.policeReference),
        f('conditions', 'Conditions', e.conditions),
        f('offence', 'Offence', e.offence),
        f('court', 'Court', e.court),
        f('hearing', 'Hearing', e.hearingType),
        f('outcome', 'Outcome', e.outcome),
        f('holdUpNote', 'How it holds up intervention', e.holdUpNote),
        f('by', 'Recorded by', who(e.recordedBy)),
      ),
    )

  for (const e of await trx.selectFrom('chronologyEntry').selectAll().where('caseId', 'in', caseIds).execute())
    add(
      'chronology_entry',
      e.id,
      e.title,
      e.occurredOn,
      fields(f('title', 'Title', e.title), f('text', 'Entry', e.text), f('by', 'By', who(e.authorId))),
    )

  const factors = await trx
    .selectFrom('caseFactor as c')
    .leftJoin('caseFactorType as t', (j) => j.onRef('t.code', '=', 'c.factorCode').onRef('t.partnershipId', '=', 'c.partnershipId'))
    .select(['c.id', 'c.factorCode', 't.label', 'c.recordedAt', 'c.recordedBy', 'c.removedAt'])
    .where('c.caseId', 'in', caseIds)
    .execute()
  for (const c of factors)
    add(
      'case_factor',
      c.id,
      c.label ?? c.factorCode,
      c.recordedAt,
      fields(
        f('factor', 'Factor', c.label ?? c.factorCode),
        f('by', 'Recorded by', who(c.recordedBy)),
        f('removed', 'Removed', c.removedAt),
      ),
    )

  // The child's own case's ABE material is the harmed child's interview: that it exists, never its summary; their name is pre-marked.
  const abeOnCase = await trx
    .selectFrom('abeMaterial as m')
    .innerJoin('child as h', 'h.id', 'm.harmedChildId')
    .select(['m.id', 'm.reference', 'm.interviewedOn', 'm.heldByAgencyId', 'h.givenNames', 'h.familyName'])
    .where('m.caseId', 'in', caseIds)
    .execute()
  for (const m of abeOnCase)
    add(
      'abe_material',
      m.id,
      'An interview of another child (Achieving Best Evidence)',
      m.interviewedOn,
      fields(
        f('harmedChild', 'Child interviewed', `${m.givenNames} ${m.familyName}`),
        f('reference', 'Reference', m.reference),
        f('interviewed', 'Interviewed on', dateOnly(m.interviewedOn)),
        f('heldBy', 'Held by', agency(m.heldByAgencyId)),
      ),
    )

  // What came in from the council's case system about the child and their episodes, as last received.
  const ssd = await trx
    .selectFrom('ssdRecord as r')
    .select((eb) => [
      'r.tableName',
      'r.sourceKey',
      'r.updatedAt',
      eb
        .selectFrom('ssdRecordVersion as v')
        .select('v.data')
        .whereRef('v.partnershipId', '=', 'r.partnershipId')
        .whereRef('v.tableName', '=', 'r.tableName')
        .whereRef('v.sourceKey', '=', 'r.sourceKey')
        .orderBy('v.receivedAt', 'desc')
        .limit(1)
        .as('data'),
    ])
    .where('r.partnershipId', '=', partnershipId)
    .where('r.targetId', 'in', [childId, ...caseIds])
    .execute()
  for (const r of ssd)
    add(
      'ssd_record',
      `${r.tableName}:${r.sourceKey}`,
      `From the council’s case system (${r.tableName})`,
      r.updatedAt,
      fields(...Object.entries((r.data ?? {}) as Record<string, unknown>).map(([k, v]) => f(`data.${k}`, k, v))),
    )

  const samples = await trx
    .selectFrom('caseAuditSample as s')
    .innerJoin('caseAudit as a', 'a.id', 's.auditId')
    .select(['s.id', 's.consent', 's.consentBy', 's.consentHow', 's.consentOn', 's.createdAt', 'a.theme'])
    .where('s.caseId', 'in', caseIds)
    .execute()
  const summaries = samples.length
    ? await trx
        .selectFrom('caseAuditSummary')
        .selectAll()
        .where(
          'sampleId',
          'in',
          samples.map((s) => s.id),
        )
        .execute()
    : []
  for (const s of samples)
    add(
      'case_audit',
      s.id,
      `Case audit: ${s.theme}`,
      s.createdAt,
      fields(
        f('consent', 'Consent to the audit', s.consent.toLowerCase().replace('_', ' ')),
        f('consentBy', 'Consent given by', s.consentBy),
        f('consentHow', 'How', s.consentHow),
        f('consentOn', 'On', dateOnly(s.consentOn)),
        ...summaries
          .filter((x) => x.sampleId === s.id)
          .flatMap((x) =>
            fields(
              f(`summary.${x.id}.agency`, 'Agency audited', agency(x.agencyId)),
              f(`summary.${x.id}.grade`, 'Grade', x.overallGrade),
              f(`summary.${x.id}.summary`, 'Auditor’s summary', x.summary),
              ...structured(`summary.${x.id}.answers`, x.answers),
              f(`summary.${x.id}.feedback`, 'Feedback', x.feedback),
            ),
          ),
      ),
    )

  return { items, linkedChildren: [...linkedChildren.values()] }
}
