import { Router, type Request } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readConsent, readFinding, readRecommendation } from './case-audits.form.js'
import {
  presentAudit,
  presentCasePage,
  presentConsent,
  presentFindings,
  presentList,
  presentReport,
  presentSetup,
  presentTool,
  presentToolForm,
} from './case-audits.presenter.js'
import { reportDocx, reportFileName, reportPdf } from './case-audits.report.js'
import type { CaseAuditsService } from './case-audits.service.js'

/** Reading audits, their cases (lead auditors, checked by the service) and reports. */
const READ = { kind: 'partnership', action: 'reviews:read' } as const
/** Setting up and running audits (the partnership business manager). */
const MANAGE = { kind: 'partnership', action: 'reviews:manage' } as const
const V = 'case-audits/views'
const auditPath = (id: string) => `/case-audits/${id}`
/** The report's downloads. */
const REPORT_FILES = [
  { format: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', make: reportDocx },
  { format: 'pdf', type: 'application/pdf', make: reportPdf },
] as const

export function caseAuditsRoutes(registry: RouteRegistry, audits: CaseAuditsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/case-audits', READ, async (req, res) => {
    res.render(`${V}/list.njk`, presentList(await audits.list(req.actor!, req.requestId)))
  })

  route.get('/case-audits/themes', READ, async (req, res) => {
    res.render(`${V}/themes.njk`, { themes: await audits.themes(req.actor!, req.requestId) })
  })

  // Audit tools (before /case-audits/:auditId, which would take "tools" for an id).
  route.get('/case-audits/tools', READ, async (req, res) => {
    res.render(`${V}/tools.njk`, await audits.tools(req.actor!, req.requestId))
  })

  route.get('/case-audits/tools/new', MANAGE, async (_req, res) => {
    res.render(
      `${V}/tool-new.njk`,
      presentToolForm({ format: 'CSV', scale: 'Outstanding\nGood\nRequires improvement\nInadequate', 'free-text': 'yes' }),
    )
  })

  route.post('/case-audits/tools', MANAGE, async (req, res) => {
    const result = await audits.createTool(req.actor!, req.body, req.requestId)
    if (!result.ok) return res.status(400).render(`${V}/tool-new.njk`, presentToolForm(formValues(req.body), result.errors))
    req.session.flash = { heading: 'Audit tool loaded' }
    res.redirect(`/case-audits/tools/${result.id}`)
  })

  route.get('/case-audits/tools/:toolId', READ, async (req, res) => {
    res.render(`${V}/tool.njk`, presentTool(await audits.tool(req.actor!, requireUuid(req.params.toolId), req.requestId)))
  })

  route.get('/case-audits/new', MANAGE, async (req, res) => {
    res.render(`${V}/setup.njk`, presentSetup(await audits.setupForm(req.actor!, null, req.requestId)))
  })

  route.post('/case-audits', MANAGE, async (req, res) => {
    const result = await audits.createAudit(req.actor!, req.body, null, req.requestId)
    if (!result.ok) return res.status(400).render(`${V}/setup.njk`, presentSetup(result.form, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Audit set up', text: 'Next, define the cohort and draw the sample.' }
    res.redirect(auditPath(result.id))
  })

  route.get('/case-audits/:auditId', READ, async (req, res) => {
    res.render(`${V}/audit.njk`, presentAudit(await audits.overview(req.actor!, requireUuid(req.params.auditId), req.requestId)))
  })

  route.post('/case-audits/:auditId/cohort', MANAGE, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    const result = await audits.cohort(req.actor!, auditId, req.body, req.requestId)
    if (result.kind === 'drawn') {
      req.session.flash = {
        heading: `${result.count} cases selected`,
        text: `The random seed ${result.seed} is recorded: the same seed over the same cohort selects the same cases.`,
      }
      return res.redirect(`${auditPath(auditId)}#sample`)
    }
    const page = await audits.overview(req.actor!, auditId, req.requestId)
    const status = result.kind === 'invalid' ? 400 : 200
    res
      .status(status)
      .render(
        `${V}/audit.njk`,
        presentAudit(page, {
          values: formValues(req.body),
          errors: result.kind === 'invalid' ? result.errors : [],
          cohortCount: 'count' in result ? (result.count ?? null) : null,
        }),
      )
  })

  route.get('/case-audits/:auditId/samples/:sampleId/consent', MANAGE, async (req, res) => {
    res.render(
      `${V}/consent.njk`,
      presentConsent(
        await audits.consentForm(req.actor!, requireUuid(req.params.auditId), requireUuid(req.params.sampleId), req.requestId),
      ),
    )
  })

  route.post('/case-audits/:auditId/samples/:sampleId/consent', MANAGE, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    const result = await audits.recordConsent(req.actor!, auditId, requireUuid(req.params.sampleId), readConsent(req.body), req.requestId)
    if (!result.ok) return res.status(400).render(`${V}/consent.njk`, presentConsent(result, formValues(req.body), result.errors))
    const text = result.replacement
      ? `Draw ${result.replacement} has been selected as its replacement.`
      : result.noneLeft
        ? 'There are no more cases in the cohort to draw a replacement from.'
        : result.state === 'REFUSED'
          ? 'The case will not be opened to auditors. The refusal is counted in the report.'
          : ''
    req.session.flash = {
      heading: result.state === 'GIVEN' ? 'Consent recorded' : result.state === 'REFUSED' ? 'Refusal recorded' : 'Consent sought recorded',
      text,
    }
    res.redirect(`${auditPath(auditId)}#sample`)
  })

  route.get('/case-audits/:auditId/cases/:sampleId', READ, async (req, res) => {
    res.render(
      `${V}/case.njk`,
      presentCasePage(await audits.readCase(req.actor!, requireUuid(req.params.auditId), requireUuid(req.params.sampleId), req.requestId)),
    )
  })

  route.post('/case-audits/:auditId/cases/:sampleId', READ, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    const sampleId = requireUuid(req.params.sampleId)
    const result = await audits.saveSummary(req.actor!, auditId, sampleId, req.body, req.requestId)
    if (!result.ok) return res.status(400).render(`${V}/case.njk`, presentCasePage(result.page, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Summary sheet saved' }
    res.redirect(`/case-audits/${auditId}/cases/${sampleId}`)
  })

  route.post('/case-audits/:auditId/panel', MANAGE, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    const result = await audits.recordPanel(req.actor!, auditId, req.body, req.requestId)
    if (!result.ok) {
      const page = await audits.overview(req.actor!, auditId, req.requestId)
      return res
        .status(400)
        .render(`${V}/audit.njk`, presentAudit(page, { values: formValues(req.body), errors: result.errors, cohortCount: null }))
    }
    req.session.flash = { heading: 'Panel recorded', text: `${result.discussed} ${result.discussed === 1 ? 'case' : 'cases'} discussed.` }
    res.redirect(`${auditPath(auditId)}#panel`)
  })

  route.get('/case-audits/:auditId/findings', MANAGE, async (req, res) => {
    res.render(`${V}/findings.njk`, presentFindings(await audits.overview(req.actor!, requireUuid(req.params.auditId), req.requestId)))
  })

  /** A form on the findings page: refused, the page again (400) with what was typed; saved, a flash and back to the page. */
  function findingsForm(
    path: string,
    save: (req: Request, auditId: string) => Promise<{ ok: true } | { ok: false; errors: FieldError[] }>,
    saved: { heading: string; hash?: string },
  ) {
    route.post(path, MANAGE, async (req, res) => {
      const auditId = requireUuid(req.params.auditId)
      const result = await save(req, auditId)
      if (!result.ok) {
        const page = await audits.overview(req.actor!, auditId, req.requestId)
        return res.status(400).render(`${V}/findings.njk`, presentFindings(page, formValues(req.body), result.errors))
      }
      req.session.flash = { heading: saved.heading }
      res.redirect(`/case-audits/${auditId}/findings${saved.hash ?? ''}`)
    })
  }
  findingsForm(
    '/case-audits/:auditId/findings',
    (req, auditId) => audits.addFinding(req.actor!, auditId, readFinding(req.body), req.requestId),
    { heading: 'Finding added' },
  )
  findingsForm(
    '/case-audits/:auditId/recommendations',
    (req, auditId) => audits.addRecommendation(req.actor!, auditId, readRecommendation(req.body), req.requestId),
    { heading: 'Recommendation added', hash: '#recommendations' },
  )

  route.post('/case-audits/:auditId/action-plan', MANAGE, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    const result = await audits.sendToPlan(req.actor!, auditId, req.requestId)
    req.session.flash = {
      heading: 'Recommendations sent to the action plan',
      text: `${result.created} new ${result.created === 1 ? 'action' : 'actions'} (${result.total} in all) in the audit’s review.`,
    }
    res.redirect(`/case-audits/${auditId}/findings#recommendations`)
  })

  route.get('/case-audits/:auditId/deep-dive/new', MANAGE, async (req, res) => {
    res.render(`${V}/setup.njk`, presentSetup(await audits.setupForm(req.actor!, requireUuid(req.params.auditId), req.requestId)))
  })

  route.post('/case-audits/:auditId/deep-dive', MANAGE, async (req, res) => {
    const parentId = requireUuid(req.params.auditId)
    const result = await audits.createAudit(req.actor!, req.body, parentId, req.requestId)
    if (!result.ok) return res.status(400).render(`${V}/setup.njk`, presentSetup(result.form, formValues(req.body), result.errors))
    req.session.flash = {
      heading: 'Deep dive set up',
      text: 'It looks at the cases you chose, with the consent given for the first audit.',
    }
    res.redirect(auditPath(result.id))
  })

  route.post('/case-audits/:auditId/close', MANAGE, async (req, res) => {
    const auditId = requireUuid(req.params.auditId)
    await audits.close(req.actor!, auditId, req.requestId)
    req.session.flash = { heading: 'Audit closed', text: 'Lead auditors can no longer read its cases.' }
    res.redirect(auditPath(auditId))
  })

  route.get('/case-audits/:auditId/report', READ, async (req, res) => {
    res.render(`${V}/report.njk`, presentReport(await audits.report(req.actor!, requireUuid(req.params.auditId), req.requestId)))
  })

  for (const file of REPORT_FILES) {
    route.get(`/case-audits/:auditId/report.${file.format}`, READ, async (req, res) => {
      const report = await audits.report(req.actor!, requireUuid(req.params.auditId), req.requestId)
      res
        .attachment(reportFileName(report, file.format))
        .type(file.type)
        .send(await file.make(report))
    })
  }

  return router
}
