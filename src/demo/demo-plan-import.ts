import type { Services } from '../composition.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/** The demo's imported plan: a fictional neglect audit's action plan, as a board's spreadsheet would hold it. */
export const DEMO_IMPORTED_REVIEW = 'Neglect thematic audit 2025'

const rows = [
  ['Neglect thematic audit – action plan (fictional)'],
  ['Questions', 'Agency', 'Response', 'Actions', 'RAG', 'Constraints/Problems', 'Target Date/Evidence', 'Lead Person', 'Desired Outcome'],
  ['Finding 1: Recognising neglect early'],
  [
    '1a) Do practitioners use the neglect toolkit?',
    'Northshire Children’s Services',
    'The toolkit will be relaunched.',
    'Relaunch the neglect toolkit at the practice week',
    'Action completed',
    '',
    '30/09/2025',
    'HT',
    'Toolkit used in every neglect assessment',
  ],
  ['', '', '', 'Audit toolkit use in 20 cases', 'G', 'Auditor capacity', 'End of Q4\n\nAudit report to the audit subgroup', 'HT', ''],
  [
    '',
    'Northshire Community Health NHS Trust',
    'Health visitors will be trained.',
    'Train health visitors in the toolkit',
    'P',
    'Training budget not yet agreed',
    '31/03/2026',
    'NH',
    'Health visitors identify neglect early',
  ],
  ['Finding 2: Hearing the child'],
  [
    '2a. Is the child’s lived experience recorded?',
    'Riverside Academy',
    'The academy will record the child’s view.',
    'Add “a day in the life” to the school referral form',
    'A',
    '',
    'Summer term',
    'PS',
    'The child’s view is in every referral',
  ],
]
const csv = rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')

/** Demo data for plan-import: the neglect audit's plan imported (a review made by the import), with "P" mapped to amber. */
export async function seedDemoPlanImport(services: Services, partnershipId: string): Promise<void> {
  const { ben } = await demoPeople(services, partnershipId, { ben: 'ben.carter@northshire.example' })
  const outcome = await services.planImport.service.importFile(partnershipId, {
    bytes: new TextEncoder().encode(csv),
    reviewName: DEMO_IMPORTED_REVIEW,
    maps: ['P=amber'],
    dryRun: false,
    actorId: ben.id,
    createReview: true,
  })
  if (!outcome.ok || !outcome.saved)
    throw new Error(
      `Demo plan import failed (${DEMO_REQUEST_ID}): ${outcome.ok ? JSON.stringify(outcome.summary.problems) : outcome.message}`,
    )
}
