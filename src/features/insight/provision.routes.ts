import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { dateInputItems, datePartsOf, partsOfIsoDate } from '../../platform/forms/dates.js'
import { field, fields, formValues, wholeNumber, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import type { ProvisionRow } from './provision.repository.js'
import { levelLabel, LEVELS, type ProvisionInput } from './provision.rules.js'
import type { ProvisionEditPage, ProvisionService } from './provision.service.js'

const READ = { kind: 'partnership', action: 'insight:read' } as const
const MANAGE = { kind: 'partnership', action: 'insight:manage' } as const
const VIEWS = 'insight/views'

type Values = Record<string, string | string[]>

function readForm(body: unknown): ProvisionInput & { version: number | null } {
  return {
    service: field(body, 'service'),
    provider: field(body, 'provider'),
    levels: fields(body, 'levels'),
    capacity: field(body, 'capacity'),
    notes: field(body, 'notes'),
    endedOn: datePartsOf(body, 'ended'),
    version: wholeNumber(field(body, 'version')),
  }
}

/** A saved entry as form values. */
function valuesOf(e: ProvisionRow): Values {
  const ended = partsOfIsoDate(e.endedOn)
  return {
    service: e.service,
    provider: e.provider,
    levels: [...e.levels],
    capacity: e.capacity === null ? '' : String(e.capacity),
    notes: e.notes ?? '',
    'ended-day': ended.day,
    'ended-month': ended.month,
    'ended-year': ended.year,
  }
}

function formView(values: Values, errors: FieldError[]) {
  const ticked = ([] as string[]).concat(values.levels ?? [])
  return {
    values,
    errors,
    levelItems: LEVELS.map((l) => ({ value: l.value, text: l.label, checked: ticked.includes(l.value) })),
    endedItems: dateInputItems('ended', values, errors),
  }
}

const levelsText = (levels: readonly string[]) => levels.map(levelLabel).join(', ')

const newView = (values: Values = {}, errors: FieldError[] = []) => ({
  pageTitle: 'Add a service to the provision register',
  isNew: true,
  ...formView(values, errors),
})

function editView(page: ProvisionEditPage, values?: Values, errors: FieldError[] = [], conflict = false) {
  return {
    pageTitle: `Change ${page.entry.service}`,
    entry: page.entry,
    conflict,
    history: page.versions.map((v) => ({ ...v, levelsText: levelsText(v.entry.levels) })),
    ...formView(values ?? valuesOf(page.entry), errors),
  }
}

/** The provision register: list for insight:read; add and change for insight:manage. */
export function provisionRoutes(registry: RouteRegistry, service: ProvisionService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/insight/provision', READ, async (req, res) => {
    const page = await service.list(req.actor!)
    res.render(`${VIEWS}/provision.njk`, {
      pageTitle: 'Provision register',
      ...page,
      entries: page.entries.map((e) => ({ ...e, levelsText: levelsText(e.levels) })),
      byLevel: page.byLevel.map((l) => ({ ...l, label: levelLabel(l.level) })),
    })
  })

  route.get('/insight/provision/new', MANAGE, async (_req, res) => {
    res.render(`${VIEWS}/provision-form.njk`, newView())
  })

  route.post('/insight/provision/new', MANAGE, async (req, res) => {
    const result = await service.create(req.actor!, readForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/provision-form.njk`, newView(formValues(req.body), result.errors))
    req.session.flash = { heading: 'Service added to the provision register' }
    res.redirect('/insight/provision')
  })

  route.get('/insight/provision/:provisionId/edit', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/provision-form.njk`, editView(await service.edit(req.actor!, requireUuid(req.params.provisionId), req.requestId)))
  })

  route.post('/insight/provision/:provisionId/edit', MANAGE, async (req, res) => {
    const id = requireUuid(req.params.provisionId)
    const result = await service.update(req.actor!, id, readForm(req.body), req.requestId)
    if (!result.ok) {
      const page = result.page ?? (await service.edit(req.actor!, id, req.requestId))
      return res
        .status(result.status)
        .render(`${VIEWS}/provision-form.njk`, editView(page, formValues(req.body), result.errors, result.status === 409))
    }
    req.session.flash = { heading: 'Provision register entry saved' }
    res.redirect('/insight/provision')
  })

  return router
}
