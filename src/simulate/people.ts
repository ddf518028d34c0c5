import type { Rng } from './random.js';

/**
 * Fictional people: names (with accents and apostrophes, as real CRMs hold
 * them), e-mails on the reserved example domains, and phone numbers in the
 * 555-0100..0199 range reserved for fiction. This is the PII an ingest must
 * hash or drop.
 */
const FIRST_NAMES = [
  'Anna', 'James', 'Maria', 'Liam', 'Sofia', 'Noah', 'Olivia', 'Lucas', 'Emma', 'Mateo',
  'Chloé', 'José', 'Zoë', 'Björn', 'Aisha', 'Wei', 'Priya', 'Kwame', 'Fatima', 'Hiroshi',
  'Grace', 'Daniel', 'Isabella', 'Ethan', 'Mia', 'Omar', 'Léa', 'Mohammed', 'Ava', 'Diego',
  'Hannah', 'Samuel', 'Chen', 'Amara', 'Ivan', 'Elena', 'Tomás', 'Nora', 'Yusuf', 'Ines',
  'Jack', 'Ruby', 'Kai', 'Layla', 'Mark', 'Sarah', 'Paul', 'Laura', 'Ben', 'Julia',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'García', 'Müller', "O'Brien", 'Nguyen', 'Kim', 'Patel', 'Rossi', 'Dubois',
  'Kowalski', 'Silva', 'Okafor', 'Tanaka', 'Haddad', 'Jensen', 'López', 'Brown', 'Wilson', 'Martin',
  'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker',
  'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill',
  'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Ahmed',
];
const DOMAINS = ['example.com', 'example.net', 'example.org'];
const AREA_CODES = ['212', '303', '312', '415', '503', '617', '702', '808', '919', '971'];

/** HubSpot contact owners (employees, not customers). */
export const CONTACT_OWNERS = ['Dana Whitfield', 'Marcus Lee', 'Priya Raman', 'Tom Becker', 'Alicia Moreno', 'Sam Okoye'];

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

const localParts = new Map<string, string>();

function asciiLocalPart(text: string): string {
  const known = localParts.get(text);
  if (known !== undefined) return known;
  const part = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  localParts.set(text, part);
  return part;
}

export function drawPhone(rng: Rng): string {
  const area = rng.pick(AREA_CODES);
  const line = `01${rng.digits(2)}`;
  switch (rng.int(0, 3)) {
    case 0:
      return `+1 (${area}) 555-${line}`;
    case 1:
      return `${area}-555-${line}`;
    case 2:
      return `(${area}) 555-${line}`;
    default:
      return `+1${area}555${line}`;
  }
}

/** A person; `serial` makes the e-mail unique (e-mail is the payments key). */
export function drawPerson(rng: Rng, serial: number): Person {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const email = `${asciiLocalPart(firstName)}.${asciiLocalPart(lastName)}${serial}@${rng.pick(DOMAINS)}`;
  return { firstName, lastName, email, phone: drawPhone(rng) };
}

/** The e-mail as a billing system holds it: sometimes different case or surrounding spaces. */
export function billingEmail(rng: Rng, email: string): string {
  const u = rng.float();
  if (u < 0.03) return email.toUpperCase();
  if (u < 0.06) return email.charAt(0).toUpperCase() + email.slice(1);
  if (u < 0.08) return ` ${email} `;
  return email;
}
