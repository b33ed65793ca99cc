import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { DEMO_IMPORTED_REVIEW } from './demo-plan-import.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/** The review demo-reviews.ts makes (it runs before this). */
const DEMO_RAPID_REVIEW = 'Rapid review RR-2025-07'

const must = <T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> => {
  if (!result.ok) throw new Error('Demo board data could not be created')
  return result as Extract<T, { ok: true }>
}

/**
 * Demo data for the board, made through its service by the business manager (Ben Carter): last
 * meeting, with agenda items linked to the reviews' progress reports as at its date, minutes,
 * numbered actions (one overdue) and their progress; and the next meeting's agenda.
 */
export async function seedDemoBoard(services: Services, partnershipId: string): Promise<void> {
  const board = services.board.service
  const { ben, nadia } = await demoPeople(services, partnershipId, {
    ben: 'ben.carter@northshire.example',
    nadia: 'nadia.hussain@northshire-health.example',
  })
  const today = londonDate(new Date())
  const last = must(
    await board.createMeeting(
      ben,
      { title: 'Safeguarding children partnership board', date: split(addCalendarDays(today, -40)) },
      DEMO_REQUEST_ID,
    ),
  ).meetingId
  const { reviews } = await board.agendaForm(ben, last, DEMO_REQUEST_ID)
  const rapid = reviews.find((r) => r.name === DEMO_RAPID_REVIEW)?.id ?? ''
  const neglect = reviews.find((r) => r.name === DEMO_IMPORTED_REVIEW)?.id ?? ''

  const items = [
    {
      title: 'Children who sexually harm: progress on the rapid review action plan',
      reviewId: rapid,
      minutes:
        'BC presented progress. The Brook Traffic Light tool is in the Pathway to Provision update.\nPolice and CPS to resolve the bail conditions that prevent intervention before trial: some progress made.\nAgreement that a needs assessment is required.',
    },
    {
      title: 'Progress report: neglect audit action plan (Appendix G)',
      reviewId: neglect,
      minutes: 'HT shared positive progress: most actions are complete; the outstanding actions are on track.',
    },
    { title: 'Any other business', reviewId: '', minutes: 'None.' },
  ]
  for (const item of items) must(await board.addAgendaItem(ben, last, { title: item.title, reviewId: item.reviewId }, DEMO_REQUEST_ID))
  const page = await board.meeting(ben, last, DEMO_REQUEST_ID)
  for (const [i, item] of page.items.entries())
    must(await board.saveMinutes(ben, last, item.id, { minutes: items[i]!.minutes, version: item.version }, DEMO_REQUEST_ID))

  const [first, second] = page.items
  const actions = [
    {
      text: 'Update on the action plan to be presented at the audit subgroup',
      ownerUserId: ben.id,
      ownerText: '',
      due: addCalendarDays(today, -10),
      agendaItemId: first!.id,
    },
    {
      text: 'Needs assessment to be fed into the JSNA as the framework for a chapter',
      ownerUserId: '',
      ownerText: 'Public health lead',
      due: addCalendarDays(today, 50),
      agendaItemId: first!.id,
    },
    {
      text: 'Children who sexually harm to be considered for the board’s business plan',
      ownerUserId: ben.id,
      ownerText: '',
      due: addCalendarDays(today, -20),
      agendaItemId: first!.id,
    },
    {
      text: 'Health visitor training dates to be confirmed to the board',
      ownerUserId: nadia.id,
      ownerText: '',
      due: addCalendarDays(today, 14),
      agendaItemId: second!.id,
    },
  ]
  for (const a of actions)
    must(
      await board.addAction(
        ben,
        last,
        { text: a.text, ownerUserId: a.ownerUserId, ownerText: a.ownerText, due: split(a.due), agendaItemId: a.agendaItemId },
        DEMO_REQUEST_ID,
      ),
    )
  const log = await board.actionsLog(ben, false, DEMO_REQUEST_ID)
  const byText = (text: string) => log.actions.find((a) => a.text === text)!
  const progress = async (text: string, status: string, note: string) => {
    const action = (await board.action(ben, byText(text).id, DEMO_REQUEST_ID)).action
    must(await board.addProgress(ben, action.id, { status, note, version: action.version }, DEMO_REQUEST_ID))
  }
  await progress(actions[2]!.text, 'IN_PROGRESS', 'Draft business plan circulated; HSB priority included for comment.')
  await progress(actions[2]!.text, 'DONE', 'Business plan agreed with the HSB priority.')
  await progress(actions[1]!.text, 'IN_PROGRESS', 'Framework agreed with public health.')

  const next = must(
    await board.createMeeting(
      ben,
      { title: 'Safeguarding children partnership board', date: split(addCalendarDays(today, 20)) },
      DEMO_REQUEST_ID,
    ),
  ).meetingId
  for (const item of [
    { title: 'Rapid review RR-2025-07: progress report', reviewId: rapid },
    { title: 'Board action log', reviewId: '' },
  ]) {
    must(await board.addAgendaItem(ben, next, item, DEMO_REQUEST_ID))
  }
}

function split(iso: string) {
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { day, month, year }
}
