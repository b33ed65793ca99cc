import type { ImportedAction, ImportedFinding, ImportedPlan, ImportedQuestion, ImportedResponse } from '../reviews/index.js'

/**
 * The rules for reading a board's action plan (rows from a CSV or XLSX file) into an
 * ImportedPlan. Pure: no I/O. The layout boards use is
 * Questions | Agency | Response | Actions | RAG | Constraints/Problems | Target Date/Evidence | Lead Person | Desired Outcome,
 * with findings as a column or as section rows, and a good deal of variation in wording.
 */

/** One cell as read from the file. `fromAbove`: blank in the file, under a merged cell (the value is the merged cell's). */
export type SheetCell = { text: string; formula?: boolean; date?: string; fromAbove?: boolean; fromLeft?: boolean }
/** A row with its number as the file shows it (1-based). */
export type SheetRow = { rowNumber: number; cells: SheetCell[] }

export type Column =
  'finding' | 'question' | 'agency' | 'response' | 'action' | 'rag' | 'constraints' | 'target' | 'evidence' | 'lead' | 'outcome'

const HEADER_WORDS: Record<Column, readonly string[]> = {
  finding: ['finding', 'findings', 'findingnumber', 'theme', 'themes'],
  question: [
    'question',
    'questions',
    'recommendation',
    'recommendations',
    'questionsrecommendations',
    'questionrecommendation',
    'keyquestion',
    'keyquestions',
    'questionsforagencies',
  ],
  agency: ['agency', 'agencies', 'organisation', 'organisations', 'organization', 'partner', 'partneragency'],
  response: ['response', 'responses', 'agencyresponse', 'agencyresponses'],
  action: ['action', 'actions', 'actionstobetaken', 'actionrequired', 'actionsrequired', 'agreedaction', 'agreedactions'],
  rag: ['rag', 'ragstatus', 'status', 'ragrating', 'progress', 'ragprogress'],
  constraints: ['constraintsproblems', 'constraints', 'problems', 'constraintsandproblems', 'constraintsorproblems', 'issues', 'barriers'],
  target: [
    'targetdateevidence',
    'targetdateandevidence',
    'targetdate',
    'target',
    'timescale',
    'timescales',
    'deadline',
    'targetdates',
    'datedue',
    'duedate',
    'bywhen',
  ],
  evidence: ['evidence', 'evidenceofcompletion', 'evidenceofimpact'],
  lead: ['leadperson', 'lead', 'owner', 'leadofficer', 'actionowner', 'responsible', 'responsibleperson', 'leads'],
  outcome: ['desiredoutcome', 'desiredoutcomes', 'outcome', 'outcomes', 'intendedoutcome', 'expectedoutcome'],
}

export const normaliseWord = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '')
/** A RAG word as a person wrote it, for grouping: trimmed, single spaces, lower case. */
export const ragWordKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase()

export function columnFor(header: string): Column | null {
  const word = normaliseWord(header)
  if (!word) return null
  for (const [column, words] of Object.entries(HEADER_WORDS) as [Column, readonly string[]][]) {
    if (words.includes(word)) return column
  }
  return null
}

export type Header = { rowIndex: number; rowNumber: number; columns: Partial<Record<Column, number>> }

/** The first row that reads as the layout's header: a question column, an action column, and at least two more. */
export function findHeader(rows: readonly SheetRow[]): Header | null {
  for (let i = 0; i < rows.length; i++) {
    const columns: Partial<Record<Column, number>> = {}
    rows[i]!.cells.forEach((cell, index) => {
      if (cell.fromLeft) return
      const column = columnFor(cell.text)
      if (column && columns[column] === undefined) columns[column] = index
    })
    const known = Object.keys(columns).length
    if (columns.question !== undefined && columns.action !== undefined && known >= 4)
      return { rowIndex: i, rowNumber: rows[i]!.rowNumber, columns }
  }
  return null
}

/** The default RAG key's keys, and the words boards write for them. Anything else is for a person to map. */
export const KNOWN_RAG_WORDS: Readonly<Record<string, string>> = {
  'action complete': 'COMPLETED',
  'action completed': 'COMPLETED',
  completed: 'COMPLETED',
  complete: 'COMPLETED',
  c: 'COMPLETED',
  blue: 'COMPLETED',
  b: 'COMPLETED',
  g: 'GREEN',
  green: 'GREEN',
  'on track': 'GREEN',
  a: 'AMBER',
  amber: 'AMBER',
  r: 'RED',
  red: 'RED',
}

/** The value a person may give for "no status" when mapping a word. */
export const NO_STATUS = 'NONE'

export type RagReading = { kind: 'blank' } | { kind: 'known'; key: string } | { kind: 'unknown'; word: string }

/** Reads a RAG cell. `extraWords` adds the partnership's own labels (word key → RAG key). */
export function readRag(text: string, extraWords: Readonly<Record<string, string>> = {}): RagReading {
  const key = ragWordKey(text)
  if (!key) return { kind: 'blank' }
  const known = extraWords[key] ?? KNOWN_RAG_WORDS[key]
  return known ? { kind: 'known', key: known } : { kind: 'unknown', word: key }
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** A date written the ways boards write them: 31/03/2026, 31-3-26, 31 March 2026, 31st Mar 2026, 2026-03-31. Otherwise null. */
export function parseDateText(text: string): string | null {
  const s = text.trim()
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s)
  if (m) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3])
    return isoDate(year, Number(m[2]), Number(m[1]))
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i.exec(s)
  if (m) {
    const name = m[2]!.toLowerCase()
    const month =
      name.length >= 3
        ? MONTHS.findIndex((x) => x.startsWith(name) && (name.length === 3 || x === name || (name === 'sept' && x === 'september')))
        : -1
    if (month >= 0) return isoDate(Number(m[3]), month + 1, Number(m[1]))
  }
  return null
}

export type TargetReading = { targetDate?: string; targetText?: string; evidence?: string }

/**
 * The "Target Date/Evidence" cell: a real date becomes the target date, anything else is the
 * target as written. A date on the first line followed by more lines, or a target followed by a
 * blank line (as the export writes it), splits into the target and the evidence.
 */
export function readTarget(cell: SheetCell, combinedWithEvidence: boolean): TargetReading {
  if (cell.date) return { targetDate: cell.date }
  const text = cell.text.trim()
  if (!text) return {}
  const whole = parseDateText(text)
  if (whole) return { targetDate: whole }
  if (!combinedWithEvidence) return { targetText: text }
  const [first, ...rest] = text.split('\n')
  const firstDate = parseDateText(first!)
  if (firstDate && rest.join('\n').trim()) return { targetDate: firstDate, evidence: rest.join('\n').trim() }
  const gap = text.indexOf('\n\n')
  if (gap > 0) {
    const target = text.slice(0, gap).trim()
    const evidence = text.slice(gap).trim()
    const date = parseDateText(target)
    return { ...(date ? { targetDate: date } : { targetText: target }), evidence }
  }
  return { targetText: text }
}

/** "1a Agencies should…", "1a) …", "(1a) …", "Q1a. …", "1.2 …" → code and text. No code → code null. */
export function readQuestion(text: string): { code: string | null; text: string } {
  const s = text.trim()
  const m = /^\(?(?:q(?:uestion)?\s*)?(\d{1,3}(?:\.\d{1,3})*[a-z]{0,2})\s*[).:\-–]?(?:\s+|$)([\s\S]*)$/i.exec(s)
  if (!m || !/\d/.test(m[1]!)) return { code: null, text: s }
  return { code: m[1]!.toLowerCase(), text: m[2]!.trim() }
}

/** "Finding 1: Information sharing", "1. Information sharing", "Theme 2 – Supervision" → number and title. */
export function readFinding(text: string): { number: string | null; title: string } {
  const s = text.trim()
  const m = /^(?:(?:finding|theme|section|learning\s+point)s?\s*(?:no\.?|number)?\s*)?(\d{1,3})\s*[).:\-–]?(?:\s+|$)([\s\S]*)$/i.exec(s)
  if (m) return { number: m[1]!, title: m[2]!.trim() }
  const named = /^(?:finding|theme|section)s?\s*[:\-–]\s*([\s\S]*)$/i.exec(s)
  return { number: null, title: (named ? named[1]! : s).trim() }
}

const looksLikeSection = (text: string) => /^(?:finding|theme|section|learning\s+point)/i.test(text.trim())

export type Problem = { row: number | null; severity: 'error' | 'warning'; text: string }
export type UnknownWord = { word: string; asWritten: string; rows: number[] }

export type DraftAction = Omit<ImportedAction, 'ragKey'> & { row: number; ragWord: string; rag: RagReading }

export type ParsedPlan = {
  header: Header
  /** The plan with each action's RAG still as read (see `resolvePlan`). */
  findings: (Omit<ImportedFinding, 'questions'> & {
    questions: (Omit<ImportedQuestion, 'responses'> & { responses: (Omit<ImportedResponse, 'actions'> & { actions: DraftAction[] })[] })[]
  })[]
  problems: Problem[]
  unknownWords: UnknownWord[]
  /** Actions per RAG word as written (trimmed; '' for blank). */
  ragAsWritten: Record<string, number>
}

export const columnLetter = (index: number): string => {
  let n = index + 1
  let out = ''
  while (n > 0) {
    const r = (n - 1) % 26
    out = String.fromCharCode(65 + r) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}

const clean = (text: string | undefined) => (text ?? '').replace(/\r\n?/g, '\n').trim()
const same = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase()

type ParseOptions = { extraRagWords?: Readonly<Record<string, string>> }

/** Reads the rows of a plan. Returns null when no row reads as the layout's header. */
export function parsePlan(rows: readonly SheetRow[], options: ParseOptions = {}): ParsedPlan | null {
  const header = findHeader(rows)
  if (!header) return null
  const col = header.columns
  const problems: Problem[] = []
  const findings: ParsedPlan['findings'] = []
  const questionsByCode = new Map<string, { text: string; row: number }>()
  const unknown = new Map<string, UnknownWord>()
  const ragAsWritten: Record<string, number> = {}
  const width = Math.max(...Object.values(col).map((i) => i + 1))
  const firstColumn = Math.min(...Object.values(col))
  const combinedTarget = col.evidence === undefined

  let finding: ParsedPlan['findings'][number] | null = null
  let question: ParsedPlan['findings'][number]['questions'][number] | null = null
  let response: ParsedPlan['findings'][number]['questions'][number]['responses'][number] | null = null
  let lastFinding = ''
  const actionKeys = new Map<string, number>()
  // Every question by its code, and the finding it sits under (a plan can have thousands of rows).
  type DraftQuestion = ParsedPlan['findings'][number]['questions'][number]
  const questionOf = new Map<string, DraftQuestion>()
  const findingOf = new Map<DraftQuestion, ParsedPlan['findings'][number]>()

  const findingFor = (text: string, row: number) => {
    const read = readFinding(text)
    const number = read.number ?? String(findings.length + 1)
    const existing = findings.find((f) => f.number === number)
    if (existing) {
      if (read.title && !existing.title) existing.title = read.title
      else if (read.title && !same(read.title, existing.title))
        problems.push({
          row,
          severity: 'error',
          text: `Row ${row}: finding ${number} has a different title from the one above (“${existing.title}”).`,
        })
      return existing
    }
    const created = { number, title: read.title || `Finding ${number}`, questions: [] }
    findings.push(created)
    return created
  }

  for (const sheetRow of rows.slice(header.rowIndex + 1)) {
    const row = sheetRow.rowNumber
    const cell = (c: Column): SheetCell => (col[c] === undefined ? { text: '' } : (sheetRow.cells[col[c]!] ?? { text: '' }))
    const text = (c: Column) => clean(cell(c).text)

    for (let i = 0; i < Math.min(sheetRow.cells.length, width); i++) {
      if (sheetRow.cells[i]?.formula && !sheetRow.cells[i]?.fromAbove && !sheetRow.cells[i]?.fromLeft)
        problems.push({
          row,
          severity: 'error',
          text: `Row ${row}: cell ${columnLetter(i)}${row} holds a formula. Replace it with its value and import again.`,
        })
    }
    const own = sheetRow.cells
      .slice(0, width)
      .map((c, i) => ({ i, text: c.fromLeft ? '' : clean(c.text), fromAbove: c.fromAbove ?? false }))
    const filled = own.filter((c) => c.text)
    if (!filled.length) continue

    // A section row: text in the first cell only (or one cell merged across the row).
    const onlyFirst = filled.length === 1 && filled[0]!.i === firstColumn && !filled[0]!.fromAbove
    if (onlyFirst && (looksLikeSection(filled[0]!.text) || col.question !== firstColumn || readQuestion(filled[0]!.text).code === null)) {
      finding = findingFor(filled[0]!.text, row)
      question = null
      response = null
      continue
    }

    const actionText = text('action')
    const actionDetail = (['rag', 'constraints', 'target', 'evidence', 'lead', 'outcome'] as const).filter(
      (c) => text(c) && !cell(c).fromAbove,
    )
    if (!actionText && actionDetail.length) {
      problems.push({ row, severity: 'error', text: `Row ${row}: there is no action text, but the row has other action details.` })
      continue
    }

    // The finding column, then the question, the agency and its response; blank means "same as above".
    const findingText = text('finding')
    if (findingText && findingText !== lastFinding) {
      lastFinding = findingText
      finding = findingFor(findingText, row)
      question = null
      response = null
    }

    const questionCell = text('question')
    if (questionCell && !(question && cell('question').fromAbove)) {
      const read = readQuestion(questionCell)
      if (!finding) finding = findingFor(read.code ? (/^\d+/.exec(read.code)?.[0] ?? '1') : '1', row)
      const current: NonNullable<typeof finding> = finding
      const code = read.code ?? `${current.number}-${current.questions.length + 1}`
      if (!read.code)
        problems.push({
          row,
          severity: 'warning',
          text: `Row ${row}: the question has no code like “1a” at its start, so it is numbered ${code}.`,
        })
      const seen = questionsByCode.get(code)
      if (seen && !same(seen.text, read.text)) {
        problems.push({ row, severity: 'error', text: `Row ${row}: question ${code} has different text from row ${seen.row}.` })
      }
      if (!seen) questionsByCode.set(code, { text: read.text, row })
      const existing = questionOf.get(code)
      if (existing && findingOf.get(existing) !== current) {
        problems.push({ row, severity: 'error', text: `Row ${row}: question ${code} appears under more than one finding.` })
      }
      if (existing !== question) response = null
      question = existing ?? { code, text: read.text, responses: [] }
      if (!existing) {
        current.questions.push(question)
        questionOf.set(code, question)
        findingOf.set(question, current)
      }
    } else if (!question) {
      problems.push({ row, severity: 'error', text: `Row ${row}: there is no question above this row.` })
      continue
    }

    const agencyName = text('agency')
    const responseText = text('response')
    if (agencyName) {
      const existing = question.responses.find((r) => same(r.agencyName, agencyName))
      response = existing ?? { agencyName: agencyName.replace(/\s+/g, ' '), response: '', actions: [] }
      if (!existing) question.responses.push(response)
    } else if (!response && (actionText || responseText)) {
      problems.push({ row, severity: 'error', text: `Row ${row}: there is no agency for this row or above it.` })
      continue
    }
    if (response && responseText && !response.response.includes(responseText)) {
      response.response = response.response ? `${response.response}\n\n${responseText}` : responseText
    }

    if (!actionText || !response) continue
    const ragWord = cell('rag').formula ? '' : clean(cell('rag').text)
    const rag = readRag(ragWord, options.extraRagWords)
    const target = col.target === undefined ? {} : readTarget(cell('target'), combinedTarget)
    const evidence = col.evidence !== undefined ? text('evidence') : (target.evidence ?? '')
    const action: DraftAction = {
      row,
      text: actionText,
      ragWord,
      rag,
      ...(text('constraints') ? { constraints: text('constraints') } : {}),
      ...(target.targetDate ? { targetDate: target.targetDate } : {}),
      ...(target.targetText ? { targetText: target.targetText } : {}),
      ...(evidence ? { evidence } : {}),
      ...(text('lead') ? { leadText: text('lead') } : {}),
      ...(text('outcome') ? { desiredOutcome: text('outcome') } : {}),
    }
    const key = `${question.code}\u0000${response.agencyName.toLowerCase()}\u0000${actionText.replace(/\s+/g, ' ').toLowerCase()}`
    const earlier = actionKeys.get(key)
    if (earlier !== undefined) {
      problems.push({
        row,
        severity: 'warning',
        text: `Row ${row}: the same action as row ${earlier} (same question, agency and text); it is counted once.`,
      })
      continue
    }
    actionKeys.set(key, row)
    response.actions.push(action)
    ragAsWritten[ragWord] = (ragAsWritten[ragWord] ?? 0) + 1
    if (rag.kind === 'unknown') {
      const entry = unknown.get(rag.word) ?? { word: rag.word, asWritten: ragWord, rows: [] }
      entry.rows.push(row)
      unknown.set(rag.word, entry)
    }
  }

  if (!findings.some((f) => f.questions.length))
    problems.push({ row: null, severity: 'error', text: 'The file has a header row but no questions or actions under it.' })
  return { header, findings, problems, unknownWords: [...unknown.values()], ragAsWritten }
}

/** What a person chose for each unknown word: word key → RAG key, or NO_STATUS. */
export type RagMapping = Readonly<Record<string, string>>

export type Resolution =
  | { ok: true; plan: ImportedPlan; ragAsMapped: Record<string, number> }
  | { ok: false; unmapped: UnknownWord[]; ragAsMapped: Record<string, number> }

/** Applies the person's mapping of unknown words. Every unknown word must be mapped: nothing is guessed. */
export function resolvePlan(parsed: ParsedPlan, mapping: RagMapping, validKeys: readonly string[]): Resolution {
  const ragAsMapped: Record<string, number> = {}
  const mapped = (reading: RagReading): string | null | undefined => {
    if (reading.kind === 'blank') return null
    if (reading.kind === 'known') return reading.key
    const choice = mapping[reading.word]
    if (choice === NO_STATUS) return null
    return choice && validKeys.includes(choice) ? choice : undefined
  }
  const unmapped = parsed.unknownWords.filter((w) => mapped({ kind: 'unknown', word: w.word }) === undefined)
  const findings: ImportedFinding[] = parsed.findings.map((f) => ({
    number: f.number,
    title: f.title,
    questions: f.questions.map((q) => ({
      code: q.code,
      text: q.text,
      responses: q.responses.map((r) => ({
        agencyName: r.agencyName,
        response: r.response,
        actions: r.actions.map(({ row, ragWord, rag, ...rest }) => {
          void row
          void ragWord
          const key = mapped(rag)
          const label = key === undefined ? 'UNMAPPED' : (key ?? NO_STATUS)
          ragAsMapped[label] = (ragAsMapped[label] ?? 0) + 1
          return { ...rest, ragKey: key ?? null }
        }),
      })),
    })),
  }))
  if (unmapped.length) return { ok: false, unmapped, ragAsMapped }
  return { ok: true, plan: { findings }, ragAsMapped }
}

/** Counts of a parsed plan: distinct findings, questions, agencies and actions. */
export function countPlan(parsed: Pick<ParsedPlan, 'findings'>) {
  const agencies = new Set<string>()
  let questions = 0
  let actions = 0
  for (const f of parsed.findings) {
    for (const q of f.questions) {
      questions++
      for (const r of q.responses) {
        agencies.add(r.agencyName.toLowerCase())
        actions += r.actions.length
      }
    }
  }
  return { findings: parsed.findings.length, questions, agencies: agencies.size, actions }
}

/** Reads a "--map" value or a form choice: "P=amber" → ['p', 'AMBER']; the RAG key by key or label, or "none". */
export function readMapping(value: string, labels: Readonly<Record<string, string>>): { word: string; key: string } | null {
  const at = value.lastIndexOf('=')
  if (at <= 0) return null
  const word = ragWordKey(value.slice(0, at))
  const key = mapChoice(value.slice(at + 1), labels)
  return word && key ? { word, key } : null
}

/** A RAG key from what a person typed: a key ("AMBER"), a label or a known word ("amber", "complete"), or "none". */
export function mapChoice(value: string, labels: Readonly<Record<string, string>>): string | null {
  const v = ragWordKey(value)
  if (!v) return null
  if (v === 'none' || v === 'no status' || v === 'blank') return NO_STATUS
  return labels[v] ?? KNOWN_RAG_WORDS[v] ?? Object.values(labels).find((k) => k.toLowerCase() === v) ?? null
}
