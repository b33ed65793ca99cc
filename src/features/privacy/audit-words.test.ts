import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CHILD_ACTIONS, PARTNERSHIP_ACTIONS } from '../../platform/access/policy.js'
import { AUDIT_ACTION_FAMILIES, auditActionLabel } from '../../platform/audit/audit-labels.js'
import { CASE_ACTIONS, CASE_WIDE_RULES } from '../cases/index.js'
import { describeAuditAction, hasAuditWords } from './audit-words.js'

/**
 * Every audit action the code can write has plain words, so none reaches a page as a code. The
 * actions are found in src/ itself: every 'kind:action' string, every permission (a refused page is
 * audited as its permission), every pathway step (`case:<STEP>`), and the actions features build
 * from a helper (`reviews:${action}`): each call of the helper with a literal action.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : []
  })
}
const files = sourceFiles(SRC).map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }))

/** Strings that look like 'kind:action' but are not audit actions. */
const NOT_ACTIONS = /^(node|https?):/

/** 'child:read', `case:read`: every literal of the shape, wherever it is (an action, a permission, a subject). */
function literalActions(): Set<string> {
  const found = new Set<string>()
  for (const { text } of files)
    for (const m of text.matchAll(/['`]([a-z][a-z-]*:[A-Za-z][A-Za-z_-]*)['`]/g)) if (!NOT_ACTIONS.test(m[1]!)) found.add(m[1]!)
  return found
}

/** The arguments of a call starting at `open` (the index of its '('), split at top-level commas. */
function callArguments(text: string, open: number): string[] {
  const args: string[] = []
  let depth = 0
  let start = open + 1
  for (let i = open; i < text.length; i++) {
    const c = text[i]
    if (c === '(' || c === '{' || c === '[') depth++
    else if (c === ')' || c === '}' || c === ']') {
      depth--
      if (depth === 0) {
        args.push(text.slice(start, i))
        return args
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i))
      start = i + 1
    }
  }
  return args
}

/**
 * Actions made by a helper: `action: \`<family>:${param}\`` inside `const helper = (…, param, …) =>`
 * or `function helper(…)`; each call of the helper (in the same feature) whose argument for
 * `param` is a literal, or a choice of literals, gives an action.
 */
function helperActions(): { family: string; actions: Set<string>; helpers: string[] }[] {
  const out: { family: string; actions: Set<string>; helpers: string[] }[] = []
  for (const { file, text } of files) {
    for (const m of text.matchAll(/action: `([a-z][a-z-]*):\$\{(\w+)(?:\.\w+)?\}`/g)) {
      const [, family, param] = m as unknown as [string, string, string]
      const before = text.slice(0, m.index)
      const decl = [...before.matchAll(/(?:const (\w+) =\s*(?:\([^)]*\)\s*=>\s*)?\(|function (\w+)\s*\()/g)].at(-1)
      const helper = decl?.[1] ?? decl?.[2]
      const actions = new Set<string>()
      if (!helper) {
        out.push({ family, actions, helpers: [] })
        continue
      }
      const declOpen = before.indexOf('(', decl!.index + decl![0].length - 1)
      const params = callArguments(text, declOpen).map(
        (p) =>
          p
            .trim()
            .replace(/^\.\.\./, '')
            .split(/[\s:=?]/)[0],
      )
      const index = params.indexOf(param)
      const dir = path.dirname(file)
      for (const other of files.filter((f) => path.dirname(f.file) === dir)) {
        for (const call of other.text.matchAll(new RegExp(`\\b${helper}\\(`, 'g'))) {
          const arg = callArguments(other.text, call.index + helper.length)[index] ?? ''
          // A template (`${edited ? 'edit' : 'add'}-${kind}`) builds its action from parts: its words are listed by hand.
          if (arg.includes('`')) continue
          for (const lit of arg.matchAll(/'([A-Za-z][A-Za-z_-]*)'/g)) actions.add(`${family}:${lit[1]}`)
        }
      }
      out.push({ family, actions, helpers: [helper] })
    }
  }
  return out
}

const steps = [...Object.values(CASE_ACTIONS), ...Object.keys(CASE_WIDE_RULES)]

describe('audit actions in plain words', () => {
  it('finds the actions the code writes (the scan itself works)', () => {
    const literals = literalActions()
    for (const a of ['child:read', 'case:read', 'abe:approve', 'user:approve-roles']) expect(literals).toContain(a)
    const helpers = helperActions().flatMap((h) => [...h.actions])
    for (const a of ['reviews:create', 'board:create-meeting', 'meeting:arrange', 'case-audit:close', 'plan-import:confirm'])
      expect(helpers).toContain(a)
  })

  it('has words of its own for every literal action and every permission in src/', () => {
    const actions = [...new Set([...literalActions(), ...PARTNERSHIP_ACTIONS, ...CHILD_ACTIONS])]
    expect(actions.filter((a) => !hasAuditWords(a)).sort()).toEqual([])
  })

  it('has words for every pathway step, from the pathway itself', () => {
    expect(steps.filter((s) => !hasAuditWords(`case:${s}`))).toEqual([])
    expect(describeAuditAction('case:RECORD_SCREENING')).toBe('Screening recorded')
    expect(describeAuditAction('assessment:SIGN_OFF_ASSESSMENT')).toBe('AIM assessment signed off')
  })

  it('has words for every action a feature builds with a helper, and knows every such family', () => {
    const built = helperActions()
    expect(built.map((b) => b.family).filter((f) => f !== 'case' && !(f in AUDIT_ACTION_FAMILIES))).toEqual([])
    const missing = built.flatMap((b) => [...b.actions]).filter((a) => !hasAuditWords(a))
    expect([...new Set(missing)].sort()).toEqual([])
  })

  it('never shows a code, even for an action it does not know', () => {
    expect(auditActionLabel('board:something-new')).toBe('The board’s records: something new')
    expect(auditActionLabel('brand-new:THING_DONE')).toBe('Other: brand new thing done')
    expect(auditActionLabel('case:NOT_A_STEP')).toBe('The case: not a step')
  })
})
