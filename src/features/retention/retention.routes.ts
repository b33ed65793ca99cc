import { Router, type Request } from 'express'
import { datePartsOf } from '../../platform/forms/dates.js'
import { field } from '../../platform/forms/forms.js'
import { isUuid, requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { EMPTY_SCHEDULE, presentOverview, presentScheduleForm } from './retention.presenter.js'
import type { ScheduleInput } from './retention.rules.js'
import type { RetentionService } from './retention.service.js'

const MANAGE = { kind: 'partnership', action: 'retention:manage' } as const
const APPROVE = { kind: 'partnership', action: 'retention:approve' } as const
const VIEWS = 'retention/views'
const HOME = '/admin/retention'

const readSchedule = (body: unknown): ScheduleInput => ({
  kind: field(body, 'kind'),
  yearsAfterLastContact: field(body, 'years-after-last-contact'),
  untilBirthday: field(body, 'until-birthday'),
  effectiveFrom: datePartsOf(body, 'effective-from'),
  note: field(body, 'note'),
})
const keyOf = (body: unknown) => {
  const key = field(body, 'form-key')
  return isUuid(key) ? key.toLowerCase() : null
}
const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/** The partnership's retention pages: the schedule, the review list, legal holds, proposals, approvals and the run. */
export function retentionRoutes(registry: RouteRegistry, service: RetentionService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const who = (req: Request) => req.actor!

  route.get(HOME, MANAGE, async (req, res) => {
    res.render(`${VIEWS}/retention.njk`, presentOverview(await service.overview(who(req), req.requestId)))
  })

  route.get(`${HOME}/schedule`, MANAGE, async (_req, res) => {
    res.render(`${VIEWS}/schedule.njk`, presentScheduleForm(EMPTY_SCHEDULE))
  })

  route.post(`${HOME}/schedule`, MANAGE, async (req, res) => {
    const input = readSchedule(req.body)
    const key = keyOf(req.body)
    const saved = await service.setSchedule(who(req), input, key, req.requestId)
    if (!saved.ok) return res.status(400).render(`${VIEWS}/schedule.njk`, presentScheduleForm(input, saved.errors, key ?? undefined))
    req.session.flash = { heading: 'Retention schedule recorded', text: 'The partnership’s decision is recorded with its note.' }
    res.redirect(HOME)
  })

  route.get(`${HOME}/records/:recordId/hold`, MANAGE, async (req, res) => {
    const target = await service.holdTarget(who(req), requireUuid(req.params.recordId), req.requestId)
    res.render(`${VIEWS}/hold.njk`, { pageTitle: 'Place a legal hold', target, values: {} })
  })

  route.post(`${HOME}/records/:recordId/hold`, MANAGE, async (req, res) => {
    const reason = field(req.body, 'reason')
    const placed = await service.placeHold(who(req), requireUuid(req.params.recordId), reason, req.requestId)
    if (!placed.ok)
      return res
        .status(400)
        .render(`${VIEWS}/hold.njk`, {
          pageTitle: 'Error: Place a legal hold',
          target: placed.target,
          errors: placed.errors,
          values: { reason },
        })
    req.session.flash = placed.already
      ? { heading: 'This record was already under a legal hold' }
      : { heading: 'Legal hold placed', text: 'The record will not be erased while the hold is in force.' }
    res.redirect(HOME)
  })

  route.get(`${HOME}/holds/:holdId/lift`, MANAGE, async (req, res) => {
    const target = await service.liftTarget(who(req), requireUuid(req.params.holdId), req.requestId)
    res.render(`${VIEWS}/lift.njk`, { pageTitle: 'Lift a legal hold', target, values: {} })
  })

  route.post(`${HOME}/holds/:holdId/lift`, MANAGE, async (req, res) => {
    const reason = field(req.body, 'reason')
    const lifted = await service.liftHold(who(req), requireUuid(req.params.holdId), reason, req.requestId)
    if (!lifted.ok)
      return res
        .status(400)
        .render(`${VIEWS}/lift.njk`, {
          pageTitle: 'Error: Lift a legal hold',
          target: lifted.target,
          errors: lifted.errors,
          values: { reason },
        })
    req.session.flash = { heading: 'Legal hold lifted' }
    res.redirect(HOME)
  })

  route.post(`${HOME}/records/:recordId/propose`, MANAGE, async (req, res) => {
    const { deletionId } = await service.propose(who(req), requireUuid(req.params.recordId), req.requestId)
    req.session.flash = deletionId
      ? { heading: 'Erasure proposed', text: 'A head of service or privacy officer other than you must approve it before it runs.' }
      : { heading: 'An erasure of this record was already proposed' }
    res.redirect(HOME)
  })

  for (const [decision, approve] of [
    ['approve', true],
    ['decline', false],
  ] as const) {
    route.post(`${HOME}/deletions/:deletionId/${decision}`, APPROVE, async (req, res) => {
      await service.decide(who(req), requireUuid(req.params.deletionId), approve, req.requestId)
      req.session.flash = approve
        ? { heading: 'Erasure approved', text: 'It runs at the next retention run. The person who proposed it has been told.' }
        : { heading: 'Erasure declined', text: 'The record is kept. The person who proposed it has been told.' }
      res.redirect(HOME)
    })
  }

  route.post(`${HOME}/run`, MANAGE, async (req, res) => {
    const r = await service.runApproved({ partnershipId: who(req).partnershipId, userId: who(req).id, requestId: req.requestId })
    const parts = [`${n(r.erased, 'record', 'records')} erased, each leaving a tombstone.`]
    if (r.held) parts.push(`${n(r.held, 'record was', 'records were')} not erased: under a legal hold.`)
    if (r.failed) parts.push(`${n(r.failed, 'record was', 'records were')} not erased and stay approved:`)
    for (const f of r.failures) parts.push(`record ${f.reference}: ${f.says}`)
    req.session.flash = { heading: 'Retention run finished', text: parts.join(' ') }
    res.redirect(HOME)
  })

  return router
}
