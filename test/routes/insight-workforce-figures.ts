/** The rows of one figure's table on a page: label → cell texts (visually hidden text removed). */
export function figureRows(html: string, figureId: string): Record<string, string[]> {
  const section = new RegExp(`<section class="app-insight-figure" id="${figureId}"[\\s\\S]*?</section>`).exec(html)?.[0]
  if (!section) throw new Error(`no figure ${figureId}`)
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(section)![0]
  const clean = (s: string) =>
    s
      .replace(/<span class="govuk-visually-hidden">[\s\S]*?<\/span>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&ndash;|–/g, '–')
      .trim()
  const rows: Record<string, string[]> = {}
  for (const tr of body.match(/<tr[\s\S]*?<\/tr>/g) ?? []) {
    const label = clean(/<th[\s\S]*?<\/th>/.exec(tr)![0])
    rows[label] = [...tr.matchAll(/<td[\s\S]*?<\/td>/g)].map((m) => clean(m[0]))
  }
  return rows
}
