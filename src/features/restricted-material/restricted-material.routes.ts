import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readDecisionForm, readMaterialForm, readReason } from './restricted-material.form.js'
import { presentDecision, presentMaterial, presentMaterialForm, presentRestrictedMaterial } from './restricted-material.presenter.js'
import type { RestrictedMaterialService } from './restricted-material.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const APPROVE = { kind: 'partnership', action: 'abe:approve' } as const
const VIEWS = 'restricted-material/views'
const base = (caseId: string) => `/cases/${caseId}/restricted-material`

/**
 * The harmed child's restricted interview material (ABE) on a case. Ids other than the case's
 * are checked by the service after it has decided whether the person may see the case, so a
 * refusal is a refusal whatever the id.
 */
export function restrictedMaterialRoutes(registry: RouteRegistry, service: RestrictedMaterialService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId/restricted-material', READ, async (req, res) => {
    const page = await service.view(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/restricted-material.njk`, presentRestrictedMaterial(page))
  })

  route.get('/cases/:caseId/restricted-material/new', READ, async (req, res) => {
    const options = await service.materialForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/new-material.njk`, presentMaterialForm(options))
  })

  route.post('/cases/:caseId/restricted-material/new', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await service.recordMaterial(req.actor!, caseId, readMaterialForm(req.body), req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/new-material.njk`, presentMaterialForm(result.options, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Interview material recorded', text: 'Anyone who needs to read its summary must ask for access.' }
    res.redirect(base(caseId))
  })

  route.get('/cases/:caseId/restricted-material/:materialId', READ, async (req, res) => {
    const read = await service.read(req.actor!, requireUuid(req.params.caseId), String(req.params.materialId), req.requestId)
    res.render(`${VIEWS}/material.njk`, presentMaterial(read))
  })

  route.post('/cases/:caseId/restricted-material/:materialId/requests', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const reason = readReason(req.body)
    const result = await service.requestAccess(req.actor!, caseId, String(req.params.materialId), reason, req.requestId)
    if (!result.ok)
      return res
        .status(400)
        .render(
          `${VIEWS}/restricted-material.njk`,
          presentRestrictedMaterial(result.page, { materialId: result.materialId, reason, errors: result.errors }),
        )
    req.session.flash = { heading: 'Access requested', text: 'A head of service or the HSB lead will decide. You will get a notification.' }
    res.redirect(base(caseId))
  })

  route.get('/cases/:caseId/restricted-material/requests/:accessRequestId', APPROVE, async (req, res) => {
    const page = await service.decisionForm(req.actor!, requireUuid(req.params.caseId), String(req.params.accessRequestId), req.requestId)
    res.render(`${VIEWS}/decision.njk`, presentDecision(page))
  })

  route.post('/cases/:caseId/restricted-material/requests/:accessRequestId', APPROVE, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await service.decide(req.actor!, caseId, String(req.params.accessRequestId), readDecisionForm(req.body), req.requestId)
    if (!result.ok) return res.status(400).render(`${VIEWS}/decision.njk`, presentDecision(result, formValues(req.body), result.errors))
    req.session.flash = { heading: result.approved ? 'Access approved' : 'Access refused', text: 'The person who asked has been notified.' }
    res.redirect(base(caseId))
  })

  route.post('/cases/:caseId/restricted-material/requests/:accessRequestId/revoke', APPROVE, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    await service.revoke(req.actor!, caseId, String(req.params.accessRequestId), req.requestId)
    req.session.flash = { heading: 'Access revoked' }
    res.redirect(base(caseId))
  })

  return router
}
