import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Services } from '../composition.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople, testNhsNumber } from './demo-steps.js'

/**
 * Demo data for the SSD import: the partnership's earlier years, as Northshire's (fictional)
 * council case system would hand them over, brought in by the HSB lead. Episodes in 2022-23 and
 * 2023-24, before the service's own history, so the dashboard shows those years; strategy
 * discussions, assessments with the child-on-child sexual abuse factor (19B) and closures; one
 * child whose two council ids are held for a decision. All of it fictional; local authority 999
 * is not a real one.
 */
export const DEMO_LA_CODE = '999'
export const DEMO_EXTRACT_NAME = 'northshire-ssd-extract-2024-03.zip'

const PEOPLE = [
  'pers_person_id,pers_forename,pers_surname,pers_dob,pers_sex,pers_ethnicity,pers_single_unique_id',
  `NS00401,Corin,Halloway,2010-02-14,M,WBRI,${testNhsNumber('401001')}`,
  `NS00402,Marnie,Ostler,2009-07-30,F,WBRI,${testNhsNumber('401002')}`,
  `NS00403,Tobiah,Quarrie,2011-11-05,M,MWBC,`,
  `NS00404,Elowen,Rudd,2012-05-19,F,AIND,${testNhsNumber('401004')}`,
  `NS00405,Jory,Penhallow,2008-09-09,M,BAFR,`,
  `NS00406,Aster,Vyvyan,2010-12-01,F,WOTH,${testNhsNumber('401006')}`,
  `NS00407,Lowen,Tregear,2013-03-03,M,NOBT,${testNhsNumber('401007')}`,
  // The same child under a second council id (same NHS number, names and date of birth): held for a decision.
  `NS00917,Lowen,Tregear,2013-03-03,M,NOBT,${testNhsNumber('401007')}`,
].join('\r\n')

const EPISODES = [
  'cine_referral_id,cine_person_id,cine_referral_date,cine_referral_source_code,cine_referral_source_desc,cine_close_date,cine_close_reason,cine_referral_team',
  'NSR2201,NS00401,2022-05-16,2A,Schools,2022-11-30,RC8,NSD1',
  'NSR2202,NS00402,2022-08-03,6,Police,2023-02-10,RC7,NSD1',
  'NSR2203,NS00403,2022-10-21,3B,GP,2023-01-31,RC8,NSD2',
  'NSR2204,NS00404,2023-01-09,2A,Schools,2023-07-14,RC8,NSD1',
  'NSR2301,NS00405,2023-04-24,6,Police,2023-12-01,RC7,NSD1',
  'NSR2302,NS00406,2023-06-12,5A,Social care,2023-10-20,RC9,NSD2',
  'NSR2303,NS00401,2023-09-18,2A,Schools,2024-02-29,RC8,NSD1',
  'NSR2304,NS00407,2024-01-15,6,Police,2024-03-28,RC8,NSD1',
  'NSR2305,NS00917,2024-02-05,1A,Family,2024-03-28,RC8,NSD1',
].join('\r\n')

const S47 = [
  's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa',
  'NSS2201,NSR2201,NS00401,2022-05-17,2022-06-20,N',
  'NSS2202,NSR2202,NS00402,2022-08-04,2022-09-02,Y',
  'NSS2204,NSR2204,NS00404,2023-01-10,2023-02-15,N',
  'NSS2301,NSR2301,NS00405,2023-04-25,2023-05-30,N',
  'NSS2303,NSR2303,NS00401,2023-09-19,2023-10-24,N',
].join('\r\n')

const ASSESSMENTS = [
  'cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date,cina_assessment_team',
  'NSA2201,NS00401,NSR2201,2022-05-17,2022-07-08,NSD1',
  'NSA2203,NS00403,NSR2203,2022-10-24,2022-12-09,NSD2',
  'NSA2204,NS00404,NSR2204,2023-01-10,2023-03-03,NSD1',
  'NSA2301,NS00405,NSR2301,2023-04-25,2023-06-16,NSD1',
  'NSA2303,NS00401,NSR2303,2023-09-19,2023-11-10,NSD1',
].join('\r\n')

const FACTORS = [
  'cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json',
  'NSF1,NSA2201,"[""19B"",""4A""]"',
  'NSF2,NSA2203,"[""2B""]"',
  'NSF3,NSA2204,"[""19B""]"',
  'NSF4,NSA2301,"[""19B"",""11A""]"',
  'NSF5,NSA2303,"[""19B""]"',
].join('\r\n')

const DEPARTMENTS = ['dept_team_id,dept_team_name', 'NSD1,Northshire Assessment Team', 'NSD2,Northshire Early Help Hub'].join('\r\n')

/** The demo's extract, imported by the HSB lead: every episode (the partnership's HSB cases were kept apart in the council's system). */
export async function seedDemoSsdImport(services: Services, partnershipId: string): Promise<void> {
  const { aisha } = await demoPeople(services, partnershipId, { aisha: DEMO_EMAILS.aisha })
  const dir = await mkdtemp(path.join(tmpdir(), 'hsb-demo-ssd-'))
  try {
    await writeFile(path.join(dir, 'ssd_person.csv'), `\uFEFF${PEOPLE}`)
    await writeFile(path.join(dir, 'ssd_cin_episodes.csv'), EPISODES)
    await writeFile(path.join(dir, 'ssd_s47_enquiry.csv'), S47)
    await writeFile(path.join(dir, 'ssd_cin_assessments.csv'), ASSESSMENTS)
    await writeFile(path.join(dir, 'ssd_assessment_factors.csv'), FACTORS)
    await writeFile(path.join(dir, 'ssd_department.csv'), DEPARTMENTS)
    await services.ssdImport.service.importExtract(
      { partnershipId, userId: aisha.id, requestId: DEMO_REQUEST_ID },
      { dir },
      DEMO_EXTRACT_NAME,
      { selection: { mode: 'ALL' }, decisions: {}, dryRun: false, laCode: DEMO_LA_CODE },
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
