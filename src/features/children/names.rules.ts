/**
 * Name helpers for finding a child who is already known. Pure functions, no I/O.
 * Re-exported from identifiers.rules.ts.
 */

/** Letters that NFD does not break into a base letter and an accent. */
const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' }

/**
 * A name for comparison: lower case, accents removed (é → e, via NFD), apostrophes removed
 * (O’Brien → obrien), hyphens and other punctuation turned into spaces (Smith-Jones → smith jones),
 * runs of spaces collapsed, trimmed. Letters from other scripts are kept as they are.
 */
export function normaliseName(s: string | null | undefined): string {
  if (typeof s !== 'string') return ''
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðþı]/g, (c) => FOLDS[c] ?? c)
    .replace(/['‘’ʼ`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The words of a normalised name. */
export function nameTokens(s: string | null | undefined): string[] {
  const n = normaliseName(s)
  return n === '' ? [] : n.split(' ')
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
}

/** Spellings at the start of a name that sound alike (Kn/N, Ph/F, hard C/K, soft C/S, any vowel). */
const START_RULES: [RegExp, string][] = [
  [/^kn/, 'n'],
  [/^gn/, 'n'],
  [/^wr/, 'r'],
  [/^ps/, 's'],
  [/^ph/, 'f'],
  [/^c(?=[eiy])/, 's'],
  [/^c(?!h)/, 'k'],
  [/^[aeiou]/, 'a'],
]

/**
 * A Soundex-style phonetic key (documented choice: American Soundex, not Metaphone).
 *
 * The whole name's letters a–z are used (spaces and hyphens ignored), after a few rules for
 * how English names start (above), so Catherine/Kathryn, Philip/Filip and Aiden/Eden match.
 * Then standard Soundex: keep the first letter; code the rest (b f p v → 1; c g j k q s x z → 2;
 * d t → 3; l → 4; m n → 5; r → 6); a letter with the same code as the one before is dropped,
 * even across h and w but not across a vowel; vowels, h, w and y are dropped; pad or cut to four.
 * So Jayden/Jaden (J350), Macdonald/McDonald (M235) and Smith/Smyth (S530) match.
 *
 * Soundex is deliberately coarse (many different names share a key), so a key match is only
 * ever "similar", never "same", and on its own never identifies a child. A name with no letters
 * a–z (e.g. written in another script) gets its normalised form as its key, so it only matches
 * itself.
 */
export function phoneticKey(name: string | null | undefined): string {
  const normalised = normaliseName(name)
  let letters = normalised.replace(/[^a-z]/g, '')
  if (letters === '') return normalised.replace(/ /g, '')
  for (const [pattern, replacement] of START_RULES) letters = letters.replace(pattern, replacement)

  const first = letters[0] as string
  let key = first.toUpperCase()
  let previous = SOUNDEX_CODES[first] ?? ''
  for (const c of letters.slice(1)) {
    if (c === 'h' || c === 'w') continue
    const code = SOUNDEX_CODES[c] ?? ''
    if (code !== '' && code !== previous) key += code
    previous = code
    if (key.length === 4) break
  }
  return key.padEnd(4, '0')
}

export const NAME_COMPARISONS = { SAME: 'SAME', SIMILAR: 'SIMILAR', DIFFERENT: 'DIFFERENT' } as const
export type NameComparison = (typeof NAME_COMPARISONS)[keyof typeof NAME_COMPARISONS]

/** Two words sound alike, or (for first names) one is a short form of the other: Dan, Daniel. */
function isSimilarWord(a: string, b: string, allowShortForms: boolean): boolean {
  if (a === b || phoneticKey(a) === phoneticKey(b)) return true
  if (!allowShortForms) return false
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a]
  return shorter.length >= 3 && longer.startsWith(shorter)
}

/**
 * How alike two names are.
 *
 * - family names are the SAME when equal once normalised and with spaces removed
 *   (Mc Donald = McDonald); SIMILAR when they sound alike, or when one word of a double-barrelled
 *   name sounds like a word of the other (Smith-Jones, Smyth).
 * - first names (the givenNames field) are the SAME when the first words are equal; SIMILAR when
 *   any word sounds like any word of the other, or one is a short form of the other (Dan, Daniel),
 *   since a child may be known by a middle name or a short name.
 *
 * An empty name is DIFFERENT from everything: no evidence either way.
 */
export function compareNames(kind: 'family' | 'given', a: string | null | undefined, b: string | null | undefined): NameComparison {
  const ta = nameTokens(a)
  const tb = nameTokens(b)
  if (ta.length === 0 || tb.length === 0) return NAME_COMPARISONS.DIFFERENT
  if (kind === 'family' ? ta.join('') === tb.join('') : ta[0] === tb[0]) return NAME_COMPARISONS.SAME
  if (kind === 'family' && phoneticKey(ta.join('')) === phoneticKey(tb.join(''))) return NAME_COMPARISONS.SIMILAR
  const allowShortForms = kind === 'given'
  const anyPair = ta.some((x) => tb.some((y) => isSimilarWord(x, y, allowShortForms)))
  return anyPair ? NAME_COMPARISONS.SIMILAR : NAME_COMPARISONS.DIFFERENT
}
