import { Router } from 'express'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { casePage, commandPost, formPage, formPost } from '../../platform/http/case-pages.js'
import { readDecisionForm, readMaterialForm, readReason } from './restricted-material.form.js'
import { presentDecision, presentMaterial, presentMaterialForm, presentRestrictedMaterial } from './restricted-material.presenter.js'
import type { RestrictedMaterialService } from './restricted-material.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const APPROVE = { kind: 'partnership', action: 'abe:approve' } as const
const VIEWS = 'restricted-material/views'
const PAGE = '/cases/:caseId/restricted-material'
const base = (caseId: string) => `/cases/${caseId}/restricted-material`

/**
 * The harmed child's restricted interview material (ABE) on a case. Ids other than the case's
 * are checked by the service after it has decided whether the person may see the case, so a
 * refusal is a refusal whatever the id.
 */
export function restrictedMaterialRoutes(registry: RouteRegistry, service: RestrictedMaterialService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const material = (req: { params: Record<string, unknown> }) => String(req.params.materialId)
  const accessRequest = (req: { params: Record<string, unknown> }) => String(req.params.accessRequestId)

  route.get(PAGE, READ, casePage(service.view, `${VIEWS}/restricted-material.njk`, presentRestrictedMaterial))

  formPage(route, READ, `${PAGE}/new`, `${VIEWS}/new-material.njk`, presentMaterialForm, {
    show: service.materialForm,
    save: (user, caseId, requestId, req) => service.recordMaterial(user, caseId, readMaterialForm(req.body), requestId),
    done: (_, caseId) => [
      { heading: 'Interview material recorded', text: 'Anyone who needs to read its summary must ask for access.' },
      base(caseId),
    ],
  })

  route.get(
    `${PAGE}/:materialId`,
    READ,
    casePage(
      (user, caseId, requestId, req) => service.read(user, caseId, material(req), requestId),
      `${VIEWS}/material.njk`,
      presentMaterial,
    ),
  )

  route.post(
    `${PAGE}/:materialId/requests`,
    READ,
    formPost(
      (user, caseId, requestId, req) => service.requestAccess(user, caseId, material(req), readReason(req.body), requestId),
      (r, req) => [
        `${VIEWS}/restricted-material.njk`,
        presentRestrictedMaterial(r.page, { materialId: r.materialId, reason: readReason(req.body), errors: r.errors }),
      ],
      (_, caseId) => [
        { heading: 'Access requested', text: 'A head of service or the HSB lead will decide. You will get a notification.' },
        base(caseId),
      ],
    ),
  )

  formPage(route, APPROVE, `${PAGE}/requests/:accessRequestId`, `${VIEWS}/decision.njk`, presentDecision, {
    show: (user, caseId, requestId, req) => service.decisionForm(user, caseId, accessRequest(req), requestId),
    save: (user, caseId, requestId, req) => service.decide(user, caseId, accessRequest(req), readDecisionForm(req.body), requestId),
    done: (r, caseId) => [
      { heading: r.approved ? 'Access approved' : 'Access refused', text: 'The person who asked has been notified.' },
      base(caseId),
    ],
  })

  route.post(
    `${PAGE}/requests/:accessRequestId/revoke`,
    APPROVE,
    commandPost(
      (user, caseId, requestId, req) => service.revoke(user, caseId, accessRequest(req), requestId),
      (caseId) => [{ heading: 'Access revoked' }, base(caseId)],
    ),
  )

  return router
}
