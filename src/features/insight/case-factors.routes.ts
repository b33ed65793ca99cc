import { Router } from 'express'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { requireUuid } from '../../platform/http/errors.js'
import { field, fields, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import type { CaseFactorsPage, CaseFactorsService } from './case-factors.service.js'

const MANAGE = { kind: 'partnership', action: 'insight:manage' } as const
const CHILD = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'insight/views'

/** A form's ticked codes (at most 100: the list is far shorter). */
const list = (body: unknown, name: string): string[] => fields(body, name).slice(0, 100)

function caseView(page: CaseFactorsPage, errors: FieldError[] = [], ticked?: string[]) {
  const chosen = ticked ?? page.current
  const labels = new Map(page.factors.map((f) => [f.code, f.label]))
  return {
    pageTitle: 'Case factors',
    caseId: page.kase.id,
    childName: page.kase.childName,
    canRecord: page.canRecord,
    errors,
    shown: page.current,
    currentLabels: page.current.map((c) => labels.get(c) ?? c),
    // Retired factors stay on the form only while they are recorded on the case (they can be removed, not added).
    factorItems: page.factors
      .filter((f) => !f.retired || page.current.includes(f.code))
      .map((f) => ({ value: f.code, text: f.retired ? `${f.label} (no longer on the list)` : f.label, checked: chosen.includes(f.code) })),
    history: page.history,
  }
}

/** The partnership's own factor list (insight:manage), and the factors recorded on a case (whoever may read the child). */
export function caseFactorsRoutes(registry: RouteRegistry, service: CaseFactorsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  const typesView = async (actor: CurrentUser, label = '', errors: FieldError[] = []) => ({
    pageTitle: 'Case factors list',
    ...(await service.types(actor)),
    label,
    errors,
  })

  route.get('/insight/case-factors/types', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/case-factors-types.njk`, await typesView(req.actor!))
  })

  route.post('/insight/case-factors/types', MANAGE, async (req, res) => {
    const retire = field(req.body, 'retire')
    if (retire) {
      const done = await service.retireType(req.actor!, retire, req.requestId)
      req.session.flash = {
        heading: done ? 'Factor retired: it can no longer be recorded, and what was recorded stays' : 'That factor was already retired',
      }
      return res.redirect('/insight/case-factors/types')
    }
    const result = await service.addType(req.actor!, field(req.body, 'label'), req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/case-factors-types.njk`, await typesView(req.actor!, field(req.body, 'label'), result.errors))
    req.session.flash = { heading: `“${result.label}” added to the case factors` }
    res.redirect('/insight/case-factors/types')
  })

  route.get('/cases/:caseId/factors', CHILD, async (req, res) => {
    const page = await service.forCase(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/case-factors-record.njk`, caseView(page))
  })

  route.post('/cases/:caseId/factors', CHILD, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const ticked = list(req.body, 'factors')
    const result = await service.record(req.actor!, caseId, { ticked, shown: list(req.body, 'shown') }, req.requestId)
    if (!result.ok) return res.status(400).render(`${VIEWS}/case-factors-record.njk`, caseView(result.page, result.errors, ticked))
    req.session.flash = { heading: result.added + result.removed === 0 ? 'No changes to the case factors' : 'Case factors saved' }
    res.redirect(`/cases/${caseId}/factors`)
  })

  return router
}
