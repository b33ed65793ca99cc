import { expect, type Page } from '@playwright/test'
import { checkA11y } from '../support/a11y.js'
import { fullName, type ChildDetails } from './data.js'
import { CasePage } from './pages/case.page.js'
import { FindChildPage } from './pages/children.page.js'
import { AllocationPage, OversightPage, RequestForSupportPage, ScreeningPage, YourRequestPage } from './pages/referral.pages.js'

/**
 * Steps the pathway journeys share, each through the pages as a person takes it, with axe on
 * every page on the way (the form, the form's response, the page it leads to).
 */

/**
 * The referrer finds a child (a POST search), then creates the record from the search. A referrer
 * does not open children's records: she lands on the request for support about the child, whose
 * name and date of birth she typed. Returns the child's id.
 */
export async function findAndCreateChild(page: Page, child: ChildDetails, options: { expectNoMatch?: boolean } = {}): Promise<string> {
  const find = new FindChildPage(page)
  await find.goto()
  await checkA11y(page, 'find a child')
  await find.search(child)
  if (options.expectNoMatch) await expect(find.results).toHaveText('0 possible matches')
  await checkA11y(page, 'search results')
  const form = await find.createNewRecord()
  await form.expectCarried(child)
  await checkA11y(page, 'new child form')
  await form.submit()
  const request = new RequestForSupportPage(page)
  await request.expectLoaded(fullName(child))
  await expect(page.locator('.govuk-notification-banner__heading')).toHaveText(`Record created for ${fullName(child)}`)
  await checkA11y(page, 'request for support (record just created)')
  return request.childId()
}

export type RequestDetails = { whatHappened: string; where: string[]; alreadyOpen?: boolean }

/**
 * The referrer's request for support about the child (from the form she is on, or opened for the
 * child); she lands on her request's own page, waiting to be screened. Returns the case's id.
 */
export async function raiseRequestForSupport(page: Page, childId: string, child: ChildDetails, r: RequestDetails): Promise<string> {
  const form = new RequestForSupportPage(page)
  if (!page.url().endsWith(`/children/${childId}/request-for-support`)) await page.goto(`/children/${childId}/request-for-support`)
  await form.expectLoaded(fullName(child))
  await checkA11y(page, 'request for support')
  await form.fill({
    whatHappened: r.whatHappened,
    where: r.where,
    basis: 'Without consent: to protect a child from harm (safeguarding)',
    consentSought: 'No',
    alreadyOpen: r.alreadyOpen ? 'Yes' : 'No',
  })
  await form.send()
  const request = new YourRequestPage(page)
  await request.expectLoaded(fullName(child))
  await expect(request.banner).toContainText('Request for support sent')
  await expect(request.status).toHaveText('Received: waiting to be screened')
  await checkA11y(page, 'your request (sent)')
  return request.caseId()
}

export type Behaviour = { description: string; where?: string; hackett?: string; rating: 'Green' | 'Amber' | 'Red'; rationale: string }

/** The screener opens the case and records the screening; the case waits for a manager's oversight. */
export async function recordScreening(
  page: Page,
  caseId: string,
  child: ChildDetails,
  behaviours: Behaviour[],
  overall: string,
): Promise<void> {
  const kase = new CasePage(page)
  await kase.goto(caseId, fullName(child))
  await checkA11y(page, 'case (to screen)')
  await kase.takeAction('Record the screening')
  const screening = new ScreeningPage(page)
  await screening.expectLoaded()
  await checkA11y(page, 'screening form')
  for (const [i, b] of behaviours.entries()) await screening.behaviour(i + 1, b)
  await screening.overallRationale(overall)
  await screening.save()
  await kase.expectLoaded(fullName(child))
  await kase.expectFlash('Screening recorded')
  await expect(kase.status).toHaveText('Waiting for management oversight')
  await checkA11y(page, 'case (screened)')
}

/** The team manager opens the screening from the case and confirms the overall rating. */
export async function confirmScreening(
  page: Page,
  caseId: string,
  child: ChildDetails,
  rating: 'Green' | 'Amber' | 'Red',
): Promise<CasePage> {
  const kase = new CasePage(page)
  await kase.goto(caseId, fullName(child))
  await checkA11y(page, 'case (awaiting oversight)')
  // By the link's address: its text is checked once, in 1-green-to-early-help.spec.ts.
  await kase.actions.locator(`a[href="/cases/${caseId}/screening/oversight"]`).click()
  const oversight = new OversightPage(page)
  await oversight.expectLoaded()
  await expect(oversight.overallRating).toHaveText(rating)
  await checkA11y(page, 'oversight')
  await oversight.confirm(`Agree ${rating.toLowerCase()}.`)
  await kase.expectLoaded(fullName(child))
  await kase.expectFlash('Screening confirmed')
  await expect(kase.summaryValue('Rating')).toHaveText(rating)
  await checkA11y(page, 'case (screening confirmed)')
  return kase
}

export const ASSESSMENT_TEAM = 'Assessment Team (Northshire Children’s Services)'
export const SAM_IN_ASSESSMENT_TEAM = 'Sam Okafor – Assessment Team'

/** The team manager allocates the case to the Assessment Team and Sam Okafor. */
export async function allocateToAssessmentTeam(page: Page, caseId: string, child: ChildDetails, interimMeasures?: string): Promise<void> {
  const kase = new CasePage(page)
  await kase.goto(caseId, fullName(child))
  await checkA11y(page, 'case (to allocate)')
  await kase.takeAction('Allocate to a team and a social worker')
  const allocation = new AllocationPage(page)
  await allocation.expectLoaded()
  await checkA11y(page, 'allocation')
  await allocation.allocate({ team: ASSESSMENT_TEAM, worker: SAM_IN_ASSESSMENT_TEAM, ...(interimMeasures ? { interimMeasures } : {}) })
  await kase.expectLoaded(fullName(child))
  await kase.expectFlash('Case allocated')
  await expect(kase.summaryValue('Allocated to')).toHaveText('Assessment Team: Sam Okafor')
  await checkA11y(page, 'case (allocated)')
}
