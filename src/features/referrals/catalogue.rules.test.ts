import { describe, expect, it } from 'vitest'
import { MAX_CATALOGUE_ROWS, parseCatalogue, splitCsv } from './catalogue.rules.js'

const HEADER = 'tool_version,age_band,rating,behaviour'

describe('splitCsv', () => {
  it.each([
    [
      'plain',
      'a,b\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'CRLF and a final newline',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['a BOM', '\uFEFFa,b', [['a', 'b']]],
    ['quoted commas', '"a, b",c', [['a, b', 'c']]],
    ['doubled quotes', '"say ""hi""",c', [['say "hi"', 'c']]],
    ['a line break inside quotes', '"a\nb",c', [['a\nb', 'c']]],
    ['empty fields', ',,', [['', '', '']]],
  ])('%s', (_, text, records) => {
    expect(splitCsv(text)).toEqual({ records })
  })

  it('refuses an unclosed quote', () => {
    expect(splitCsv('"a,b')).toEqual({ error: 'A quoted field is not closed: check the quotation marks' })
  })
})

describe('parseCatalogue', () => {
  it('reads rows, matching a band by its label, with a BOM and CRLF', () => {
    const text = `\uFEFF${HEADER}\r\nBROOK_ORIGINAL,5 to 9,green,"Example behaviour A (test), with a comma"\r\nBROOK_2020,10 to 13,RED,"Example ""B"" (test)"\r\n`
    expect(parseCatalogue(text)).toEqual({
      ok: true,
      rows: [
        { toolVersion: 'BROOK_ORIGINAL', ageBand: 'AGE_5_9', rating: 'GREEN', behaviour: 'Example behaviour A (test), with a comma' },
        { toolVersion: 'BROOK_2020', ageBand: 'AGE_10_13', rating: 'RED', behaviour: 'Example "B" (test)' },
      ],
    })
  })

  it.each([
    ['no header', 'BROOK_ORIGINAL,5 to 9,GREEN,x', { row: 1, message: `The first row must be the header ${HEADER}` }],
    ['only a header', `${HEADER}\n`, { row: 2, message: 'The file has no behaviours' }],
    [
      'an unknown version',
      `${HEADER}\nBROOK_1999,5 to 9,GREEN,x`,
      { row: 2, message: 'Row 2: tool version “BROOK_1999” is not one of BROOK_ORIGINAL, BROOK_2020' },
    ],
    [
      'a band of another version',
      `${HEADER}\nBROOK_ORIGINAL,10 to 13,GREEN,x`,
      { row: 2, message: 'Row 2: age band “10 to 13” is not a band of BROOK_ORIGINAL (0 to 5, 5 to 9, 9 to 13, 13 to 17)' },
    ],
    [
      'an unknown rating',
      `${HEADER}\nBROOK_ORIGINAL,5 to 9,ORANGE,x`,
      { row: 2, message: 'Row 2: rating “ORANGE” must be GREEN, AMBER or RED' },
    ],
    ['an empty behaviour', `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,  `, { row: 2, message: 'Row 2: the behaviour is empty' }],
    [
      'a long behaviour',
      `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,${'x'.repeat(301)}`,
      { row: 2, message: 'Row 2: the behaviour is longer than 300 characters' },
    ],
    ['too few fields', `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN`, { row: 2, message: 'Row 2 has 3 fields: it must have 4' }],
    [
      'a duplicate',
      `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,Same\nBROOK_ORIGINAL,AGE_5_9,RED,same`,
      { row: 3, message: 'Row 3: it repeats row 2' },
    ],
    [
      'an unclosed quote',
      `${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,"x`,
      { row: 0, message: 'A quoted field is not closed: check the quotation marks' },
    ],
  ])('refuses %s', (_, text, error) => {
    expect(parseCatalogue(text)).toEqual({ ok: false, errors: [error] })
  })

  it('numbers every bad row', () => {
    const r = parseCatalogue(`${HEADER}\nBROOK_ORIGINAL,5 to 9,GREEN,ok\nBROOK_ORIGINAL,5 to 9,BLUE,x\n\nBROOK_ORIGINAL,5 to 9,GREEN,`)
    expect(r).toEqual({
      ok: false,
      errors: [
        { row: 3, message: 'Row 3: rating “BLUE” must be GREEN, AMBER or RED' },
        { row: 5, message: 'Row 5: the behaviour is empty' },
      ],
    })
  })

  it(`refuses more than ${MAX_CATALOGUE_ROWS} rows`, () => {
    const rows = Array.from({ length: MAX_CATALOGUE_ROWS + 1 }, (_, i) => `BROOK_ORIGINAL,5 to 9,GREEN,Example ${i}`)
    expect(parseCatalogue([HEADER, ...rows].join('\n'))).toEqual({
      ok: false,
      errors: [{ row: 0, message: 'The file has 2001 behaviours: the most is 2000' }],
    })
  })
})
