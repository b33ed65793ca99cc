import { Router, type Request } from 'express'
import { canInPartnership } from '../../platform/access/policy.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readChildSearch, readDeclineReason, readRedactionForm, readRequestForm } from './subject-access.form.js'
import { subjectAccessFileName, renderSubjectAccessPdf } from './subject-access.pdf.js'
import { bundleOf, presentItem, presentList, presentNewRequest, presentRequest, PROTECTIVE_MARKING } from './subject-access.presenter.js'
import type { SubjectAccessService } from './subject-access.service.js'

const MANAGE = { kind: 'partnership', action: 'subject-access:manage' } as const
/** The bundles' pages: whoever may approve a release (everyone who manages requests may too: policy.test.ts). */
const READ = { kind: 'partnership', action: 'subject-access:approve' } as const
const APPROVE = READ
const VIEWS = 'subject-access/views'
const BASE = '/privacy/subject-access'

/** Subject access requests: the list, recording one, the bundle, redacting, submitting, deciding, and the released PDF. */
export function subjectAccessRoutes(registry: RouteRegistry, service: SubjectAccessService, now: () => Date = () => new Date()): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const requestIdOf = (req: Request) => requireUuid(req.params.requestId)

  route.get(BASE, READ, async (req, res) => {
    const rows = await service.list(req.actor!, req.requestId)
    res.render(`${VIEWS}/list.njk`, presentList(rows, canInPartnership(req.actor!, 'subject-access:manage'), now()))
  })

  route.get(`${BASE}/new`, MANAGE, async (_req, res) => {
    res.render(`${VIEWS}/new.njk`, presentNewRequest())
  })

  // One form, two buttons: find the child (names and identifiers stay in the body, never the address), then record the request.
  route.post(`${BASE}/new`, MANAGE, async (req, res) => {
    const values = formValues(req.body)
    const search = readChildSearch(req.body)
    const rerender = async (status: number, errors: FieldError[]) => {
      const matches = search.errors.length ? [] : await service.findChild(req.actor!, search.search, req.requestId)
      res.status(status).render(`${VIEWS}/new.njk`, presentNewRequest(values, errors, matches))
    }
    if (req.body?.action === 'find') {
      if (search.errors.length) return res.status(400).render(`${VIEWS}/new.njk`, presentNewRequest(values, search.errors, null))
      return rerender(200, [])
    }
    const { input, errors } = readRequestForm(req.body, londonDate(now()))
    if (errors.length) return rerender(400, errors)
    const saved = await service.create(req.actor!, input, req.requestId)
    if (!saved.ok) return rerender(400, saved.errors)
    req.session.flash = { heading: 'Request recorded', text: 'Gather the records next.' }
    res.redirect(`${BASE}/${saved.value}`)
  })

  const showRequest = async (req: Request, errors?: FieldError[]) =>
    presentRequest(await service.view(req.actor!, requestIdOf(req), req.requestId), {
      canManage: canInPartnership(req.actor!, 'subject-access:manage'),
      canApprove: canInPartnership(req.actor!, 'subject-access:approve'),
      ...(errors ? { errors, values: formValues(req.body) } : {}),
    })

  route.get(`${BASE}/:requestId`, READ, async (req, res) => {
    res.render(`${VIEWS}/request.njk`, await showRequest(req))
  })

  route.post(`${BASE}/:requestId/gather`, MANAGE, async (req, res) => {
    const id = requestIdOf(req)
    const { added, preMarked } = await service.gather(req.actor!, id, req.requestId)
    req.session.flash = {
      heading: added ? `${added} ${added === 1 ? 'item' : 'items'} gathered` : 'Nothing new to gather',
      text: preMarked
        ? `${preMarked} ${preMarked === 1 ? 'part is' : 'parts are'} marked for redaction because they name another child. Check each item.`
        : '',
    }
    res.redirect(`${BASE}/${id}`)
  })

  const itemPath = `${BASE}/:requestId/items/:itemId/redact`
  route.get(itemPath, MANAGE, async (req, res) => {
    const page = await service.itemPage(req.actor!, requestIdOf(req), requireUuid(req.params.itemId), req.requestId)
    res.render(`${VIEWS}/redact.njk`, presentItem(page))
  })

  route.post(itemPath, MANAGE, async (req, res) => {
    const id = requestIdOf(req)
    const itemId = requireUuid(req.params.itemId)
    const { input, errors } = readRedactionForm(req.body)
    const saved = errors.length ? { ok: false as const, errors } : await service.redact(req.actor!, id, itemId, input, req.requestId)
    if (!saved.ok) {
      const page = await service.itemPage(req.actor!, id, itemId, req.requestId)
      return res.status(400).render(`${VIEWS}/redact.njk`, presentItem(page, formValues(req.body), saved.errors))
    }
    req.session.flash = { heading: 'Redaction saved' }
    res.redirect(`${BASE}/${id}#item-${itemId}`)
  })

  route.post(`${BASE}/:requestId/submit`, MANAGE, async (req, res) => {
    const id = requestIdOf(req)
    await service.submit(req.actor!, id, req.requestId)
    req.session.flash = {
      heading: 'Submitted for approval',
      text: 'Another privacy officer or a head of service must approve the release.',
    }
    res.redirect(`${BASE}/${id}`)
  })

  route.post(`${BASE}/:requestId/approve`, APPROVE, async (req, res) => {
    const id = requestIdOf(req)
    await service.decide(req.actor!, id, true, '', req.requestId)
    req.session.flash = { heading: 'Release approved', text: 'The privacy officer who submitted it has been told.' }
    res.redirect(`${BASE}/${id}`)
  })

  route.post(`${BASE}/:requestId/decline`, APPROVE, async (req, res) => {
    const id = requestIdOf(req)
    const { reason, error } = readDeclineReason(req.body)
    if (error) return res.status(400).render(`${VIEWS}/request.njk`, await showRequest(req, [error]))
    await service.decide(req.actor!, id, false, reason, req.requestId)
    req.session.flash = { heading: 'Release declined', text: 'The privacy officer who submitted it has been told why.' }
    res.redirect(`${BASE}/${id}`)
  })

  route.get(`${BASE}/:requestId/download.pdf`, MANAGE, async (req, res) => {
    const page = await service.release(req.actor!, requestIdOf(req), req.requestId)
    const r = page.request
    const pdf = await renderSubjectAccessPdf({
      reference: r.reference,
      about: r.subjectKind === 'CHILD' ? r.childName : `${r.requesterName} (${r.requesterRelationship})`,
      receivedOn: r.receivedOn,
      marking: PROTECTIVE_MARKING,
      generatedAt: page.generatedAt,
      bundle: bundleOf(page.items, page.redactions),
    })
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${subjectAccessFileName(r.reference, page.generatedAt)}"`,
      'Cache-Control': 'no-store',
    })
    res.send(pdf)
  })

  return router
}
