import { Router, type Request } from 'express'
import type { AccessGuard } from '../../platform/access/authorise.js'
import { uploadedFile } from '../../platform/http/csrf.js'
import { NotFoundError, requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { SSD_CSV_NAMES } from './ssd-export.csv.js'
import { choicesKey, presentSummary, readChoices, type Choices } from './ssd-import.presenter.js'
import { ImportRefused, type SsdImportService } from './ssd-import.service.js'
import { ExtractRefused } from './ssd.read.js'

const IMPORT = { kind: 'partnership', action: 'ssd:import' } as const
const EXPORT = { kind: 'partnership', action: 'ssd:export' } as const
const VIEWS = 'ssd-import/views'
/** What the web takes (the platform reads at most 10 MB of an upload); larger extracts go through the command line. */
const WEB_MAX_BYTES = 10 * 1024 * 1024

const importerOf = (req: Request) => ({ partnershipId: req.actor!.partnershipId, userId: req.actor!.id, requestId: req.requestId })

/** The administration pages: upload an extract → preview (choose episodes, decide matches) → import; and the analyst's download. */
export function ssdImportRoutes(registry: RouteRegistry, service: SsdImportService, access: AccessGuard): Router {
  const router = Router()
  const route = routesFor(registry, router)
  void access

  const uploadPage = async (req: Request, extra: Record<string, unknown> = {}) => ({
    pageTitle: 'Import from the council’s case system',
    runs: await service.recentRuns(req.actor!.partnershipId),
    ...extra,
  })

  route.get('/admin/ssd-import', IMPORT, async (req, res) => {
    res.render(`${VIEWS}/upload.njk`, await uploadPage(req))
  })

  route.upload('/admin/ssd-import', IMPORT, async (req, res) => {
    const { file, refused } = uploadedFile(req, 'extract')
    const laCode = typeof req.body?.laCode === 'string' ? req.body.laCode.trim() : ''
    const fail = async (status: number, field: string, text: string) =>
      res.status(status).render(`${VIEWS}/upload.njk`, await uploadPage(req, { errors: [{ href: `#${field}`, text }], values: { laCode } }))
    if (refused === 'TOO_LARGE' || (file && file.size > WEB_MAX_BYTES))
      return fail(
        413,
        'extract',
        'The file is larger than 10 MB. Import a larger extract with the command line (npm run cli -- import-ssd).',
      )
    if (!file) return fail(400, 'extract', 'Select the extract: a zip of the SSD CSV files')
    if (laCode && !/^\d{3}$/.test(laCode)) return fail(400, 'laCode', 'Enter the local authority code as three digits, like 845')
    try {
      const bytes = new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength)
      const { importId } = await service.stage(importerOf(req), { zip: bytes }, file.originalname.slice(0, 200) || 'extract.zip', {
        laCode: laCode || null,
      })
      res.redirect(`/admin/ssd-import/${importId}`)
    } catch (err) {
      if (err instanceof ImportRefused || err instanceof ExtractRefused) return fail(400, 'extract', err.message)
      throw err
    }
  })

  const preview = async (req: Request, choices: Choices, errors?: unknown) => {
    const importId = requireUuid(req.params.importId)
    const run = await service.findRun(req.actor!.partnershipId, importId)
    if (!run) throw new NotFoundError()
    if (run.status === 'APPLIED')
      return { pageTitle: 'An import from the council’s case system', ...presentSummary(run.summary, choices), applied: true, run, errors }
    const summary = await service.run(importerOf(req), importId, { ...choices, dryRun: true })
    const people = await service.peopleIn(
      req.actor!.partnershipId,
      importId,
      summary.proposedMatches.flatMap((m) => ['personId' in m.with ? m.with.personId : null, m.personId].filter((x): x is string => !!x)),
    )
    return { pageTitle: 'Check the import', ...presentSummary(summary, choices, people), applied: false, run, errors }
  }

  route.get('/admin/ssd-import/:importId', IMPORT, async (req, res) => {
    // Which episodes may be chosen in the address (codes and team names); decisions on matches only in a form's body.
    const { selection } = readChoices(req.query)
    res.render(`${VIEWS}/preview.njk`, await preview(req, { selection, decisions: {} }))
  })

  // Checking again with decisions is a POST: a decision names a council person id, never put in an address.
  route.post('/admin/ssd-import/:importId/check', IMPORT, async (req, res) => {
    res.render(`${VIEWS}/preview.njk`, await preview(req, readChoices(req.body)))
  })

  route.post('/admin/ssd-import/:importId', IMPORT, async (req, res) => {
    const importId = requireUuid(req.params.importId)
    const choices = readChoices(req.body)
    // Choices changed since the figures on the page were worked out: show the figures for them first.
    if (req.body?.checked !== choicesKey(choices))
      return res
        .status(409)
        .render(
          `${VIEWS}/preview.njk`,
          await preview(req, choices, [
            { href: '#summary', text: 'You changed your choices: these are the figures for them. Check them, then import.' },
          ]),
        )
    try {
      const summary = await service.run(importerOf(req), importId, { ...choices, dryRun: false })
      const n = (count: number, one: string, many: string) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`
      req.session.flash = {
        heading: 'Imported',
        text: `${n(summary.created.children, 'new child', 'new children')} and ${n(summary.created.cases, 'episode', 'episodes')} brought in${
          summary.children.held ? `; ${n(summary.children.held, 'child', 'children')} held back for a decision on a possible match` : ''
        }.`,
      }
      res.redirect(`/admin/ssd-import/${importId}`)
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err
      res.status(409).render(`${VIEWS}/preview.njk`, await preview(req, choices, [{ href: '#summary', text: err.message }]))
    }
  })

  route.get('/insight/ssd-export', EXPORT, async (req, res) => {
    res.render(`${VIEWS}/export.njk`, { pageTitle: 'Export HSB episodes for the council', files: [...SSD_CSV_NAMES] })
  })

  route.get('/insight/ssd-export/:file', EXPORT, async (req, res) => {
    const name = String(req.params.file)
    const wanted = name === 'dfe-csc-payload.json' ? name : [...SSD_CSV_NAMES].find((n) => n === name)
    if (!wanted) throw new NotFoundError()
    try {
      const out = await service.exportFor(importerOf(req))
      if (wanted === 'dfe-csc-payload.json') {
        res
          .type('application/json')
          .attachment(wanted)
          .send(JSON.stringify(out.payload, null, 2))
        return
      }
      const file = out.files.find((f) => f.name === wanted)!
      res.type('text/csv; charset=utf-8').attachment(wanted).send(file.content)
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err
      res
        .status(409)
        .render(`${VIEWS}/export.njk`, {
          pageTitle: 'Export HSB episodes for the council',
          files: [...SSD_CSV_NAMES],
          errors: [{ href: '#downloads', text: err.message }],
        })
    }
  })

  return router
}
