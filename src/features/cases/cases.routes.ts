import { Router } from 'express'
import { NotFoundError, requireUuid } from '../../platform/http/errors.js'
import { dateInputItems } from '../../platform/forms/dates.js'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import { formatDate } from '../../platform/http/format.js'
import type { CaseForAccess } from './case.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { CLOCK_LABELS } from '../../platform/clocks/clocks.rules.js'
import { presentCase } from './cases.presenter.js'
import { CFA_OUTCOMES, S47_OUTCOMES, type CasesService } from './cases.service.js'

const READ = { kind: 'child', action: 'child:read' } as const

/** The page asking why a clock's timescale was missed. */
const clockReasonPage = (caseId: string, kind: string) => ({
  pageTitle: 'Why was the timescale missed?',
  caseId,
  kind,
  clockLabel: CLOCK_LABELS[kind as keyof typeof CLOCK_LABELS],
})

export function casesRoutes(registry: RouteRegistry, cases: CasesService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId', READ, async (req, res) => {
    const view = await cases.viewCase(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render('cases/views/case.njk', presentCase(view))
  })

  route.get('/cases/:caseId/clocks/:kind/reason', READ, async (req, res) => {
    const view = await cases.viewCase(req.actor!, requireUuid(req.params.caseId), req.requestId)
    const kind = String(req.params.kind)
    if (!view.clocks.some((c) => c.kind === kind)) throw new NotFoundError()
    res.render('cases/views/clock-reason.njk', { ...clockReasonPage(view.kase.id, kind), values: {} })
  })

  route.post('/cases/:caseId/clocks/:kind/reason', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const kind = String(req.params.kind)
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : ''
    const result = await cases.recordClockReason(req.actor!, caseId, kind, reason, req.requestId)
    if (!result.ok) {
      const page = { ...clockReasonPage(caseId, kind), errors: result.errors, values: formValues(req.body) }
      return res.status(400).render('cases/views/clock-reason.njk', page)
    }
    req.session.flash = { heading: 'Reason recorded' }
    res.redirect(`/cases/${caseId}`)
  })

  /** A step that concludes something on a day with its outcome: its page, the step, and the words after it. */
  const concluding = (c: {
    path: string
    view: string
    pageTitle: string
    outcomes: Readonly<Record<string, string>>
    form: CasesService['section47Form']
    send: CasesService['recordSection47Outcome']
    done: string
  }) => {
    const page = (kase: CaseForAccess, values: Record<string, string | string[]> = {}, errors: FieldError[] = []) => ({
      pageTitle: c.pageTitle,
      caseId: kase.id,
      childName: kase.childName,
      referralReceived: formatDate(kase.referralReceivedAt),
      completedItems: dateInputItems('completed', values, errors),
      outcomeItems: Object.entries(c.outcomes).map(([value, text]) => ({ value, text, checked: values.outcome === value })),
      values,
      errors,
    })
    route.get(`/cases/:caseId/${c.path}`, READ, async (req, res) => {
      const { kase } = await c.form(req.actor!, requireUuid(req.params.caseId), req.requestId)
      res.render(c.view, page(kase))
    })
    route.post(`/cases/:caseId/${c.path}`, READ, async (req, res) => {
      const caseId = requireUuid(req.params.caseId)
      const result = await c.send(req.actor!, caseId, req.body, req.requestId)
      if (!result.ok) return res.status(400).render(c.view, page(result.kase!, formValues(req.body), result.errors))
      req.session.flash = { heading: c.done }
      res.redirect(`/cases/${caseId}`)
    })
  }

  // The child and family assessment: completed on a date, with its outcome (stops its 45-working-day clock).
  concluding({
    path: 'child-and-family-assessment',
    view: 'cases/views/child-and-family-assessment.njk',
    pageTitle: 'Complete the child and family assessment',
    outcomes: CFA_OUTCOMES,
    form: cases.childAndFamilyAssessmentForm,
    send: cases.completeChildAndFamilyAssessment,
    done: 'Child and family assessment completed',
  })
  // The section 47 enquiry: concluded on a date, a conference held or not needed (stops the 15-working-day conference clock).
  concluding({
    path: 'section-47-enquiry',
    view: 'cases/views/section-47-enquiry.njk',
    pageTitle: 'Record the outcome of the section 47 enquiry',
    outcomes: S47_OUTCOMES,
    form: cases.section47Form,
    send: cases.recordSection47Outcome,
    done: 'Section 47 enquiry outcome recorded',
  })

  return router
}
