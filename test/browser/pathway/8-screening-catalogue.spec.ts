import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from './people.js'

const HEADER = 'tool_version,age_band,rating,behaviour'

test('(8) the HSB lead loads the partnership’s own screening catalogue; a bad file shows row errors and keeps the text', async ({
  people,
}) => {
  test.setTimeout(60_000)
  const aisha = await people.as(PEOPLE.aisha)
  await aisha.getByRole('link', { name: 'Screening catalogue' }).click()
  await expect(aisha.locator('h1')).toBeVisible()
  await checkA11y(aisha, 'screening catalogue')

  const bad = `${HEADER}\nBROOK_ORIGINAL,5 to 9,PURPLE,Example behaviour (browser test)`
  await aisha.locator('textarea').fill(bad)
  await aisha.getByRole('button', { name: /load/i }).click()
  await expect(aisha.locator('.govuk-error-summary')).toContainText('There is a problem')
  await expect(aisha.locator('textarea')).toHaveValue(bad)
  await checkA11y(aisha, 'screening catalogue with errors')

  await aisha
    .locator('textarea')
    .fill(
      `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,Example behaviour (browser test)\nBROOK_ORIGINAL,13 to 17,RED,Another example behaviour (browser test)`,
    )
  await aisha.getByRole('button', { name: /load/i }).click()
  await expect(aisha.locator('.govuk-notification-banner')).toContainText('2 behaviours loaded')
  await checkA11y(aisha, 'screening catalogue loaded')
})
