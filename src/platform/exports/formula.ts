/** Spreadsheet formula injection: text starting with = + - @ tab or CR gets a leading apostrophe. */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
