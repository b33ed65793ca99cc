import data from './bank-holidays.json' with { type: 'json' }
import type { IsoDate } from './london-time.js'

/**
 * England and Wales bank holidays, from GOV.UK (see docs/bank-holidays.md for how to update
 * the JSON each year). The list is part of the release: a partnership cannot change it.
 */
export interface BankHolidayFile {
  division: string
  source: string
  updated: IsoDate
  dates: readonly { date: IsoDate; title: string }[]
}

/** The dates that are not working days besides weekends, as 'YYYY-MM-DD'. */
export type BankHolidays = ReadonlySet<IsoDate>

export const BANK_HOLIDAY_FILE: BankHolidayFile = data

export function bankHolidaysFrom(file: BankHolidayFile): BankHolidays {
  return new Set(file.dates.map((d) => d.date))
}

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: BankHolidays = bankHolidaysFrom(BANK_HOLIDAY_FILE)

/** The first and last years the file covers; dates outside them are treated as having no bank holidays. */
export function yearsCovered(file: BankHolidayFile = BANK_HOLIDAY_FILE): { first: number; last: number } {
  const years = file.dates.map((d) => Number(d.date.slice(0, 4)))
  return { first: Math.min(...years), last: Math.max(...years) }
}
