import { describe, expect, it } from 'vitest'
import { BANK_HOLIDAY_FILE, ENGLAND_AND_WALES_BANK_HOLIDAYS, yearsCovered } from './bank-holidays.js'
import { addCalendarDays, dayOfWeek, isIsoDate, type IsoDate } from './london-time.js'

const MONDAY = 1
const FRIDAY = 5
const SATURDAY = 6
const SUNDAY = 0
/** Every year the file covers, so a year added to it is checked by the rules below. */
const YEARS = Array.from({ length: yearsCovered().last - yearsCovered().first + 1 }, (_, i) => yearsCovered().first + i)

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): IsoDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

function firstMonday(year: number, month: number): IsoDate {
  let day = `${year}-${String(month).padStart(2, '0')}-01`
  while (dayOfWeek(day) !== MONDAY) day = addCalendarDays(day, 1)
  return day
}

function lastMonday(year: number, month: number): IsoDate {
  let day = addCalendarDays(`${year}-${String(month + 1).padStart(2, '0')}-01`, -1)
  while (dayOfWeek(day) !== MONDAY) day = addCalendarDays(day, -1)
  return day
}

/** The standard rules, worked out independently of the JSON file. */
function standardHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year)
  const newYear = `${year}-01-01`
  const newYearObserved =
    dayOfWeek(newYear) === SATURDAY ? addCalendarDays(newYear, 2) : dayOfWeek(newYear) === SUNDAY ? addCalendarDays(newYear, 1) : newYear
  // Christmas and Boxing Day: a day that falls at a weekend moves to the next weekday not already a holiday.
  const christmas = `${year}-12-25`
  const christmasWeekday = dayOfWeek(christmas)
  const [xmas, boxing] =
    christmasWeekday === FRIDAY
      ? [christmas, `${year}-12-28`]
      : christmasWeekday === SATURDAY
        ? [`${year}-12-27`, `${year}-12-28`]
        : christmasWeekday === SUNDAY
          ? [`${year}-12-27`, `${year}-12-26`]
          : [christmas, `${year}-12-26`]
  return [
    newYearObserved,
    addCalendarDays(easter, -2),
    addCalendarDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    xmas,
    boxing,
  ]
}

/** Changes to the standard pattern by royal proclamation. Add a year here when GOV.UK announces one. */
const EXCEPTIONS: Record<number, { removed: IsoDate[]; added: IsoDate[] }> = {
  2020: { removed: ['2020-05-04'], added: ['2020-05-08'] }, // Early May moved to Friday, VE Day 75
  2022: { removed: ['2022-05-30'], added: ['2022-06-02', '2022-06-03', '2022-09-19'] }, // Spring moved to Thursday; Platinum Jubilee; State Funeral of Queen Elizabeth II
  2023: { removed: [], added: ['2023-05-08'] }, // Coronation of King Charles III
}

const datesIn = (year: number): IsoDate[] =>
  BANK_HOLIDAY_FILE.dates
    .map((d) => d.date)
    .filter((d) => d.startsWith(`${year}-`))
    .sort()

describe('bank-holidays.json: shape', () => {
  it('is the England and Wales division with a source and an updated date', () => {
    expect(BANK_HOLIDAY_FILE.division).toBe('england-and-wales')
    expect(BANK_HOLIDAY_FILE.source).toContain('https://www.gov.uk/bank-holidays.json')
    expect(isIsoDate(BANK_HOLIDAY_FILE.updated)).toBe(true)
  })

  it('has real YYYY-MM-DD dates with titles, in order, without repeats', () => {
    const dates = BANK_HOLIDAY_FILE.dates.map((d) => d.date)
    for (const entry of BANK_HOLIDAY_FILE.dates) {
      expect(isIsoDate(entry.date), entry.date).toBe(true)
      expect(entry.title.trim(), entry.date).not.toBe('')
    }
    expect(dates).toEqual([...dates].sort())
    expect(new Set(dates).size).toBe(dates.length)
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.size).toBe(dates.length)
  })

  it('covers every year from 2018 to at least 2028, with no gaps', () => {
    expect(yearsCovered().first).toBe(2018)
    expect(yearsCovered().last).toBeGreaterThanOrEqual(2028)
    for (const year of YEARS) expect(datesIn(year).length, String(year)).toBeGreaterThanOrEqual(8)
  })

  it('never puts a bank holiday on a Saturday or Sunday', () => {
    for (const { date } of BANK_HOLIDAY_FILE.dates) expect([SATURDAY, SUNDAY], date).not.toContain(dayOfWeek(date))
  })

  // A reminder to update the file: fails once the data runs out within the next year.
  it('covers at least the next 12 months (update the file if this fails: docs/bank-holidays.md)', () => {
    const nextYear = new Date().getUTCFullYear() + 1
    expect(yearsCovered().last).toBeGreaterThanOrEqual(nextYear)
  })
})

describe('bank-holidays.json: the dates', () => {
  it.each([
    [2018, '2018-04-01'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
  ])('the Easter algorithm itself is right for %i (Easter Sunday %s)', (year, expected) => {
    expect(easterSunday(year)).toBe(expected)
  })

  it.each(YEARS)('%i: Good Friday and Easter Monday agree with the computed Easter', (year) => {
    const easter = easterSunday(year)
    const byTitle = (title: string) =>
      BANK_HOLIDAY_FILE.dates.filter((d) => d.title === title && d.date.startsWith(`${year}-`)).map((d) => d.date)
    expect(byTitle('Good Friday')).toEqual([addCalendarDays(easter, -2)])
    expect(byTitle('Easter Monday')).toEqual([addCalendarDays(easter, 1)])
    expect(dayOfWeek(addCalendarDays(easter, -2))).toBe(FRIDAY)
  })

  it.each(YEARS)('%i: the dates are the standard rules plus that year’s proclamations', (year) => {
    const exceptions = EXCEPTIONS[year] ?? { removed: [], added: [] }
    const expected = [...standardHolidays(year).filter((d) => !exceptions.removed.includes(d)), ...exceptions.added].sort()
    expect(datesIn(year)).toEqual(expected)
  })

  it.each([
    ['2020-05-08', FRIDAY, 'Early May bank holiday (VE day)'],
    ['2022-06-02', 4, 'Spring bank holiday'],
    ['2022-06-03', FRIDAY, 'Platinum Jubilee bank holiday'],
    ['2022-09-19', MONDAY, 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2023-05-08', MONDAY, 'Bank holiday for the coronation of King Charles III'],
    ['2021-12-27', MONDAY, 'Christmas Day'],
    ['2021-12-28', 2, 'Boxing Day'],
    ['2022-12-27', 2, 'Christmas Day'],
    ['2022-01-03', MONDAY, 'New Year’s Day'],
    ['2028-01-03', MONDAY, 'New Year’s Day'],
  ])('%s falls on the right weekday (%i) with its title', (date, weekday, title) => {
    expect(dayOfWeek(date)).toBe(weekday)
    expect(BANK_HOLIDAY_FILE.dates.find((d) => d.date === date)?.title).toBe(title)
  })

  it('Monday holidays (Easter Monday, Early May except 2020, Spring except 2022, Summer) are Mondays', () => {
    const mondayTitles = new Set(['Easter Monday', 'Early May bank holiday', 'Spring bank holiday', 'Summer bank holiday'])
    for (const { date, title } of BANK_HOLIDAY_FILE.dates) {
      if (mondayTitles.has(title) && date !== '2022-06-02') expect(dayOfWeek(date), `${date} ${title}`).toBe(MONDAY)
    }
  })
})
