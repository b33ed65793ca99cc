import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { parseLinkedChildId, parseLinkSearch, parseNewChild, parseSearch } from './children.form.js'
import { presentAccessHistory, presentChild, presentLinkForm } from './children.presenter.js'
import type { ChildrenService } from './children.service.js'
import { presentNewChildForm, presentSearch } from './find-or-create.presenter.js'

const FIND_OR_CREATE = { kind: 'partnership', action: 'child:find-or-create' } as const
const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'children/views'

/**
 * The child's record. Searches are POSTs and render their results on the same response, so
 * nothing typed about a child goes into a URL. /children/search and /children/new come
 * before /children/:childId.
 */
export function childrenRoutes(registry: RouteRegistry, children: ChildrenService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/children/search', FIND_OR_CREATE, async (_req, res) => {
    res.render(`${VIEWS}/search.njk`, presentSearch())
  })

  route.post('/children/search', FIND_OR_CREATE, async (req, res) => {
    const values = formValues(req.body)
    const parsed = parseSearch(req.body)
    if (!parsed.ok) return res.status(400).render(`${VIEWS}/search.njk`, presentSearch(values, parsed.errors))
    const result = await children.searchChildren(req.actor!, parsed.value, req.requestId)
    if (result.limited) return res.status(429).render(`${VIEWS}/search.njk`, presentSearch(values, undefined, undefined, true))
    res.render(`${VIEWS}/search.njk`, presentSearch(values, undefined, result.matches))
  })

  route.get('/children/new', FIND_OR_CREATE, async (_req, res) => {
    res.render(`${VIEWS}/new-child.njk`, presentNewChildForm())
  })

  route.post('/children/new', FIND_OR_CREATE, async (req, res) => {
    const values = formValues(req.body)
    // From the search results: the form, filled in with what was typed there.
    if (values['from-search'] === 'yes') return res.render(`${VIEWS}/new-child.njk`, presentNewChildForm(values))
    const parsed = parseNewChild(req.body)
    if (!parsed.ok) return res.status(400).render(`${VIEWS}/new-child.njk`, presentNewChildForm(values, parsed.errors))
    const result = await children.createChild(req.actor!, parsed.value, req.requestId)
    if (!result.ok) {
      return res
        .status(result.limited ? 429 : 400)
        .render(`${VIEWS}/new-child.njk`, presentNewChildForm(values, result.errors, result.matches, result.askToConfirm))
    }
    if (!result.opensRecord) {
      // A referrer does not open children's records: on to the request for support about the child.
      req.session.flash = { heading: `Record created for ${result.name}`, text: 'Now tell the front door what happened.' }
      return res.redirect(`/children/${result.childId}/request-for-support`)
    }
    req.session.flash = {
      heading: `Record created for ${result.name}`,
      text: 'You and your organisation are recorded as working with this child.',
    }
    res.redirect(`/children/${result.childId}`)
  })

  route.get('/children/:childId', READ, async (req, res) => {
    const view = await children.viewChild(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/child.njk`, presentChild(view))
  })

  route.get('/children/:childId/access-history', { kind: 'child', action: 'child:view-record-history' }, async (req, res) => {
    const view = await children.viewAccessHistory(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/access-history.njk`, presentAccessHistory(view))
  })

  route.get('/children/:childId/links/new', READ, async (req, res) => {
    const view = await children.viewLinkForm(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/link-new.njk`, presentLinkForm(view))
  })

  /** Two steps on one URL: find the other child (action "find"), then link the one chosen (action "link"). */
  route.post('/children/:childId/links/new', READ, async (req, res) => {
    const childId = requireUuid(req.params.childId)
    const values = formValues(req.body)
    const search = parseLinkSearch(req.body)
    if (values.action !== 'link' || !search.ok) {
      const view = await children.findLinkCandidates(req.actor!, childId, search, req.requestId)
      return res.status(view.limited ? 429 : view.errors ? 400 : 200).render(`${VIEWS}/link-new.njk`, presentLinkForm(view, values))
    }
    const command = { ...search.value, linkedChildId: parseLinkedChildId(req.body) }
    const result = await children.linkChildren(req.actor!, childId, command, req.requestId)
    if (!result.ok) return res.status(result.limited ? 429 : 400).render(`${VIEWS}/link-new.njk`, presentLinkForm(result, values))
    req.session.flash = { heading: result.alreadyLinked ? 'These children were already linked' : 'Child linked' }
    res.redirect(`/children/${childId}`)
  })

  return router
}
