import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { SSD_CSV_NAMES, ssdCsvChunks, ssdCsvFiles, ukDateTime } from './ssd-export.csv.js'
import { dfePayload, parseLaCode, validatePayload, type DfePayload } from './ssd-export.payload.js'
import type { ExportChild } from './ssd-export.types.js'

/** Two episodes (the first with an s47, an assessment with factors, an ICPC and a worker), and a child with nothing else. */
const robin: ExportChild = {
  personId: '0012345',
  givenNames: 'Robin',
  familyName: 'Quayle',
  dateOfBirth: '2012-07-08',
  gender: 'MALE',
  ethnicity: 'WBRI',
  nhsNumber: '9434765919',
  upn: 'A801200005001',
  episodes: [
    {
      referralId: 'REF-0001',
      // 23:30 UTC on 30 June is 00:30 BST on 1 July.
      referralDate: '2024-06-30T23:30:00Z',
      referralSource: '5A',
      closeDate: '2024-12-01T10:00:00Z',
      closeReason: 'RC8',
      strategyDiscussions: [{ id: 'S47-0001', date: '2024-07-02T09:00:00Z', outcome: 'Proceed to "ICPC"\nsame day' }],
      assessments: [{ id: 'ASM-0001', startDate: '2024-07-03', completedDate: '2024-08-14', factors: ['19B', '14A'] }],
      conferences: [{ id: 'ICPC-0001', date: '2024-07-20T13:00:00Z', outcome: 'CP plan' }],
      involvements: [
        {
          id: 'INV-0001',
          professionalId: 'SW012345',
          professionalName: 'Ana Smith',
          team: 'Assessment, North',
          agency: 'Children’s social care',
          startDate: '2024-07-01',
          endDate: '2024-12-01',
        },
      ],
    },
    {
      referralId: 'REF-0002',
      referralDate: '2025-01-15T10:00:00Z',
      referralSource: 'Police (by phone)',
      closeDate: null,
      closeReason: null,
      strategyDiscussions: [],
      assessments: [],
      conferences: [],
      involvements: [],
    },
  ],
}
const sam: ExportChild = {
  personId: '7f6c1a52-9a43-4c4e-9d7b-2f1f3b1d9e01',
  givenNames: 'Sam',
  familyName: 'Lee',
  dateOfBirth: '2011-03-02',
  gender: null,
  ethnicity: null,
  nhsNumber: null,
  upn: null,
  episodes: [],
}
const children = [robin, sam]

function clone<T>(value: T): T {
  return structuredClone(value)
}

function rowsOf(name: string, list: ExportChild[] = children): Record<string, string>[] {
  const file = ssdCsvFiles(list, '845').find((f) => f.name === name)
  if (!file) throw new Error(`no ${name}`)
  return parse(file.content, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]
}

describe('dfePayload', () => {
  const payload = dfePayload(children, '845')

  it('validates against the schema', () => {
    expect(validatePayload(payload)).toEqual({ ok: true })
  })

  it('holds no undefined properties (what we do not hold is left out)', () => {
    expect(JSON.parse(JSON.stringify(payload))).toStrictEqual(payload)
  })

  it('follows the published structure, with dates on a UK calendar', () => {
    expect(payload.la_code).toBe(845)
    expect(payload.Children).toHaveLength(2)
    const [first, second] = payload.Children
    expect(first).toEqual({
      la_child_id: '0012345',
      purge: false,
      child_details: {
        unique_pupil_number: 'A801200005001',
        first_name: 'Robin',
        surname: 'Quayle',
        date_of_birth: '2012-07-08',
        sex: 'M',
        ethnicity: 'WBRI',
        purge: false,
      },
      social_care_episodes: [
        {
          social_care_episode_id: 'REF-0001',
          referral_date: '2024-07-01',
          referral_source: '5A',
          closure_date: '2024-12-01',
          closure_reason: 'RC8',
          care_worker_details: [{ worker_id: 'SW012345', start_date: '2024-07-01', end_date: '2024-12-01' }],
          child_and_family_assessments: [
            {
              child_and_family_assessment_id: 'ASM-0001',
              start_date: '2024-07-03',
              authorisation_date: '2024-08-14',
              factors: ['19B', '14A'],
              purge: false,
            },
          ],
          section_47_assessments: [
            {
              section_47_assessment_id: 'S47-0001',
              start_date: '2024-07-02',
              icpc_required_flag: true,
              icpc_date: '2024-07-20',
              purge: false,
            },
          ],
          purge: false,
        },
        // A referral source that is not a CIN code is left out.
        { social_care_episode_id: 'REF-0002', referral_date: '2025-01-15', purge: false },
      ],
    })
    expect(second).toEqual({
      la_child_id: '7f6c1a52-9a43-4c4e-9d7b-2f1f3b1d9e01',
      purge: false,
      child_details: { first_name: 'Sam', surname: 'Lee', date_of_birth: '2011-03-02', sex: 'U', purge: false },
    })
  })

  it('refuses an LA code that is not three digits', () => {
    expect(parseLaCode(' 845 ')).toBe(845)
    expect(() => dfePayload(children, '84')).toThrow(RangeError)
    expect(() => dfePayload(children, 'E09000033')).toThrow(RangeError)
  })
})

describe('validatePayload', () => {
  const good = dfePayload(children, '845')

  it('fails a payload missing la_child_id and with a bad date', () => {
    const broken = clone(good) as unknown as { Children: Record<string, unknown>[] }
    const [first] = broken.Children
    if (!first) throw new Error('fixture')
    delete first.la_child_id
    ;(first.child_details as Record<string, unknown>).date_of_birth = '2012-02-30'
    const result = validatePayload(broken)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toContain("/Children/0 must have required property 'la_child_id'")
    expect(result.errors.some((e) => e.startsWith('/Children/0/child_details/date_of_birth must match format "date"'))).toBe(true)
  })

  it('fails dates that are not YYYY-MM-DD, unknown fields, and codes outside their sets', () => {
    const broken: DfePayload = clone(good)
    const episode = broken.Children[0]?.social_care_episodes?.[0]
    if (!episode) throw new Error('fixture')
    episode.referral_date = '01/07/2024'
    episode.closure_reason = 'closed'
    broken.Children[1]!.child_details.sex = 'X' as 'U'
    Object.assign(broken.Children[1]!, { nickname: 'S' })
    const result = validatePayload(broken)
    if (result.ok) throw new Error('expected errors')
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/Children\/0\/social_care_episodes\/0\/referral_date must match pattern/),
        expect.stringMatching(/^\/Children\/0\/social_care_episodes\/0\/closure_reason must match pattern/),
        '/Children/1/child_details/sex must be equal to one of the allowed values',
        '/Children/1 must NOT have additional properties (nickname)',
      ]),
    )
  })

  it('fails a worker id longer than the 12 characters the API takes', () => {
    const child = clone(robin)
    child.episodes[0]!.involvements[0]!.professionalId = '7f6c1a52-9a43-4c4e'
    const result = validatePayload(dfePayload([child], '845'))
    expect(result.ok).toBe(false)
  })

  it('fails a payload without la_code or Children', () => {
    expect(validatePayload({ Children: [] }).ok).toBe(false)
    expect(validatePayload({ la_code: 845 }).ok).toBe(false)
    expect(validatePayload(null).ok).toBe(false)
  })
})

describe('ssdCsvFiles', () => {
  const files = ssdCsvFiles(children, '845')
  const byName = new Map(files.map((f) => [f.name, f.content]))

  it('writes the seven SSD files with the SSD column names', () => {
    expect(files.map((f) => f.name)).toEqual([...SSD_CSV_NAMES])
    const headers = Object.fromEntries(files.map((f) => [f.name, f.content.slice(0, f.content.indexOf('\r\n'))]))
    expect(headers).toEqual({
      'ssd_person.csv':
        'pers_legacy_id,pers_person_id,pers_upn,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,pers_dob,' +
        'pers_single_unique_id,pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,pers_is_mother,pers_nationality',
      'ssd_cin_episodes.csv':
        'cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,' +
        'cine_referral_source_desc,cine_referral_outcome_json,cine_referral_nfa,cine_close_reason,cine_close_date,' +
        'cine_referral_team,cine_referral_worker_id',
      'ssd_s47_enquiry.csv':
        's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa,' +
        's47e_s47_outcome_json,s47e_s47_completed_by_team,s47e_s47_completed_by_worker_id',
      'ssd_cin_assessments.csv':
        'cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,' +
        'cina_assessment_auth_date,cina_assessment_outcome_json,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id',
      'ssd_assessment_factors.csv': 'cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json',
      'ssd_initial_cp_conference.csv':
        'icpc_icpc_id,icpc_icpc_meeting_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_referral_id,' +
        'icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag,icpc_icpc_outcome_json,' +
        'icpc_icpc_team,icpc_icpc_worker_id',
      'ssd_involvements.csv':
        'invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_person_id,' +
        'invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_referral_id',
    })
  })

  it('ends every record with CRLF and has no bare line feeds outside quoted cells', () => {
    for (const { content } of files) {
      expect(content.endsWith('\r\n')).toBe(true)
      const outsideQuotes = content.replace(/"(?:[^"]|"")*"/g, '')
      expect(outsideQuotes).not.toMatch(/[^\r]\n/)
    }
  })

  it('writes one row per child, episode, enquiry, assessment, factors set, conference and involvement', () => {
    const counts = Object.fromEntries(SSD_CSV_NAMES.map((name) => [name, rowsOf(name).length]))
    expect(counts).toEqual({
      'ssd_person.csv': 2,
      'ssd_cin_episodes.csv': 2,
      'ssd_s47_enquiry.csv': 1,
      'ssd_cin_assessments.csv': 1,
      'ssd_assessment_factors.csv': 1,
      'ssd_initial_cp_conference.csv': 1,
      'ssd_involvements.csv': 1,
    })
  })

  it('keeps leading zeros in ids, and maps sex and gender to the SSD codes', () => {
    expect(byName.get('ssd_person.csv')).toContain('\r\n,0012345,A801200005001,Robin,Quayle,M,01,WBRI,2012-07-08,9434765919,')
    const [robinRow, samRow] = rowsOf('ssd_person.csv')
    expect(robinRow).toMatchObject({ pers_person_id: '0012345', pers_sex: 'M', pers_gender: '01', pers_single_unique_id: '9434765919' })
    expect(samRow).toMatchObject({ pers_sex: 'U', pers_gender: '00', pers_upn: '', pers_ethnicity: '' })
    expect(rowsOf('ssd_cin_episodes.csv')[0]).toMatchObject({ cine_referral_id: 'REF-0001', cine_person_id: '0012345' })
  })

  it('prints instants on a UK clock (BST in summer, GMT in winter) and dates as YYYY-MM-DD', () => {
    const [summer, winter] = rowsOf('ssd_cin_episodes.csv')
    expect(summer).toMatchObject({ cine_referral_date: '2024-07-01 00:30:00', cine_close_date: '2024-12-01 10:00:00' })
    expect(winter).toMatchObject({ cine_referral_date: '2025-01-15 10:00:00', cine_close_date: '' })
    expect(rowsOf('ssd_s47_enquiry.csv')[0]?.s47e_s47_start_date).toBe('2024-07-02 10:00:00')
    expect(rowsOf('ssd_cin_assessments.csv')[0]).toMatchObject({
      cina_assessment_start_date: '2024-07-03',
      cina_assessment_auth_date: '2024-08-14',
    })
    expect(ukDateTime('2024-03-31T00:59:59Z')).toBe('2024-03-31 00:59:59')
    expect(ukDateTime('2024-03-31T01:00:00Z')).toBe('2024-03-31 02:00:00')
    expect(ukDateTime('not a date')).toBe('not a date')
  })

  it('escapes text that would open as a formula', () => {
    const child = { ...clone(sam), givenNames: '=HYPERLINK("http://x")', familyName: '+44 7700', episodes: [] }
    const content = ssdCsvFiles([child], '845').find((f) => f.name === 'ssd_person.csv')?.content ?? ''
    expect(content).toContain(`,"'=HYPERLINK(""http://x"")",'+44 7700,`)
    expect(rowsOf('ssd_person.csv', [child])[0]).toMatchObject({ pers_forename: `'=HYPERLINK("http://x")`, pers_surname: `'+44 7700` })
  })

  it('quotes cells holding a comma, a quote or a line break', () => {
    expect(byName.get('ssd_involvements.csv')).toContain(',"Assessment, North",')
    const [involvement] = rowsOf('ssd_involvements.csv')
    expect(involvement).toMatchObject({
      invo_professional_id: 'SW012345',
      invo_professional_role_id: 'Children’s social care',
      invo_professional_team: 'Assessment, North',
      invo_involvement_start_date: '2024-07-01',
      invo_referral_id: 'REF-0001',
    })
    const [s47] = rowsOf('ssd_s47_enquiry.csv')
    expect(JSON.parse(s47?.s47e_s47_outcome_json ?? '')).toMatchObject({
      CP_CONFERENCE_FLAG: 'Y',
      OUTCOME_COMMENTS: 'Proceed to "ICPC"\nsame day',
    })
  })

  it('links the conference to the enquiry before it, and writes factors as a JSON array', () => {
    expect(rowsOf('ssd_initial_cp_conference.csv')[0]).toMatchObject({
      icpc_icpc_id: 'ICPC-0001',
      icpc_s47_enquiry_id: 'S47-0001',
      icpc_referral_id: 'REF-0001',
      icpc_icpc_date: '2024-07-20 14:00:00',
    })
    expect(rowsOf('ssd_assessment_factors.csv')[0]).toEqual({
      cinf_table_id: 'ASM-0001',
      cinf_assessment_id: 'ASM-0001',
      cinf_assessment_factors_json: '["19B","14A"]',
    })
  })

  it('streams the same content line by line', () => {
    for (const name of SSD_CSV_NAMES) expect([...ssdCsvChunks(name, children)].join('')).toBe(byName.get(name))
  })

  it('checks the LA code', () => {
    expect(() => ssdCsvFiles(children, 'x')).toThrow(RangeError)
  })
})
