import type { Services } from '../composition.js'
import { SECTIONS, defaultTitle, financialYear, financialYearOf } from '../features/insight/index.js'
import { londonDate } from '../platform/clocks/london-time.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

const must = <T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> => {
  if (!result.ok) throw new Error('Demo board report could not be created')
  return result as Extract<T, { ok: true }>
}

/** Synthetic wording for two of the four sections; the other two are left for the board to write. */
const WRITTEN = {
  WHERE_WERE_WE:
    'At the start of the year the partnership had agreed a single pathway for children who display harmful sexual behaviour, but requests for support were counted by hand and the figures could not be compared across agencies.\n\nThe board asked for a needs assessment and for the pathway’s figures to come from the records.',
  WHAT_HAVE_WE_DONE:
    'Requests for support are now screened with the Brook Traffic Light tool at the front door, and every amber or red rating goes to a multi-agency strategy meeting.\n\nPractitioners from children’s services, health and the youth justice service completed AIM training, so assessments can be co-worked across agencies.',
} as const

/**
 * A draft annual HSB report for the last complete financial year, made through the report service
 * by the business manager (Ben Carter), with "Where were we?" and "What have we done?" written.
 */
export async function seedDemoBoardReport(services: Services, partnershipId: string): Promise<void> {
  const report = services.insight.service.report
  const { ben } = await demoPeople(services, partnershipId, { ben: 'ben.carter@northshire.example' })
  const year = financialYear(financialYearOf(londonDate(new Date())) - 1)
  const { reportId } = must(await report.create(ben, { title: defaultTitle(year), period: year.key, from: '', to: '' }, DEMO_REQUEST_ID))
  for (const def of SECTIONS) {
    const body = WRITTEN[def.key as keyof typeof WRITTEN]
    if (body) must(await report.saveSection(ben, reportId, def, { body, version: 0 }, DEMO_REQUEST_ID))
  }
}
