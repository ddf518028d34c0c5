import { describe, expect, it } from 'vitest';
import { maskPersonalData } from './mask-personal-data.js';

describe('maskPersonalData', () => {
  it('masks e-mail addresses, phone numbers as written in several countries, and card numbers', () => {
    const cases: [string, string][] = [
      ['Mail jo.b@x.com or ring +44 7700 900123', 'Mail [email] or ring [phone]'],
      ["reach me: o'neil+cx@mail.example.co.uk.", 'reach me: [email].'],
      ['call (555) 867-5309 today', 'call [phone] today'],
      ['my number is 06 12 34 56 78', 'my number is [phone]'],
      ['US: +1-202-555-0173.', 'US: [phone].'],
      ['card 4111 1111 1111 1111 was charged', 'card [number] was charged'],
      ['account 12345678901234567890', 'account [number]'],
    ];
    for (const [text, masked] of cases) expect(maskPersonalData(text), text).toBe(masked);
  });

  it('leaves dates, amounts, counts and short codes alone', () => {
    for (const text of [
      'Charged $49.99 on 2025-03-01 and again on 01/03/2025.',
      'Waited 2 hours for 3 calls, 10/10 would not recommend.',
      'Ticket 48213 still open since 2024.06.30',
      'Paid 1,200 in fees this year',
      'No email here, just an @mention.',
    ]) {
      expect(maskPersonalData(text), text).toBe(text);
    }
  });
});
