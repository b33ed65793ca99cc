/** Name parts for fictional people and children: common words, combined at random. */
export const GIVEN_NAMES = [
  'Alex', 'Amir', 'Ava', 'Ben', 'Bella', 'Caleb', 'Chloe', 'Dan', 'Daisy', 'Eli', 'Ella', 'Finn', 'Freya', 'Gabe', 'Grace',
  'Harry', 'Hana', 'Isaac', 'Isla', 'Jack', 'Jade', 'Kai', 'Kara', 'Leo', 'Lily', 'Max', 'Maya', 'Noah', 'Nia', 'Oscar',
  'Olive', 'Priya', 'Quinn', 'Rhys', 'Rosa', 'Sam', 'Sofia', 'Theo', 'Tia', 'Umar', 'Vera', 'Will', 'Yara', 'Zac', 'Zoe',
] as const

export const FAMILY_NAMES = [
  'Abbott', 'Ahmed', 'Baker', 'Barnes', 'Begum', 'Carter', 'Clarke', 'Davies', 'Dixon', 'Edwards', 'Evans', 'Fisher',
  'Foster', 'Green', 'Hall', 'Harris', 'Hughes', 'Iqbal', 'Jackson', 'Jones', 'Khan', 'King', 'Lewis', 'Lloyd', 'Mason',
  'Mills', 'Morgan', 'Nolan', 'Novak', 'Owen', 'Parker', 'Patel', 'Quinn', 'Reid', 'Roberts', 'Shaw', 'Singh', 'Taylor',
  'Turner', 'Walker', 'Ward', 'Webb', 'Wood', 'Wright', 'Young',
] as const

/** Short, made-up descriptions in a practitioner's own words (no tool wording). */
export const BEHAVIOUR_NOTES = [
  'Age-appropriate curiosity reported by class teacher',
  'Language at school that other pupils found upsetting',
  'Sent an image to a peer on a messaging app',
  'Touching reported by a younger child at after-school club',
  'Repeated behaviour after being asked to stop',
  'Concern raised by a parent about online contact',
  'Incident on the school bus, seen by staff',
  'Behaviour towards a sibling reported by a carer',
] as const

