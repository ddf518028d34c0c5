import { describe, expect, it } from 'vitest';
import { humanLabel, snakeName } from '../names.js';
import { profileColumn } from '../shapes/profile-column.js';
import { commonlyBlank } from './draft.js';
import { isBirthDate, isPersonalColumn, proposePii } from './pii.js';
import { guessQuestion } from './survey-responses.js';
import { channelOfValue, kindOfValue, resolvedOfValue, satisfactionOfValue, transactionStatusOf } from './value-maps.js';

const column = (name: string, cells: string[], description?: string) => profileColumn({ index: 0, name, cells, description });

describe('value maps', () => {
  it('reads transaction kinds from type words', () => {
    expect(kindOfValue('subscription')).toBe('purchase');
    expect(kindOfValue('Payment Received')).toBe('purchase');
    expect(kindOfValue('late_fee')).toBe('fee');
    expect(kindOfValue('overage_fee')).toBe('fee');
    expect(kindOfValue('Payment Refund')).toBe('refund');
    expect(kindOfValue('Chargeback')).toBe('refund');
    expect(kindOfValue('credit')).toBe('credit');
    expect(kindOfValue('General Currency Conversion')).toBeUndefined();
  });
  it('keeps paid rows, drops failed ones, keeps only won deals', () => {
    expect(transactionStatusOf('Paid')).toBe('keep');
    expect(transactionStatusOf('partially_refunded')).toBe('keep');
    expect(transactionStatusOf('Failed')).toBe('exclude');
    expect(transactionStatusOf('wc-cancelled')).toBe('exclude');
    expect(transactionStatusOf('Closed Won')).toBe('won');
    expect(transactionStatusOf('Closed Lost')).toBe('exclude');
  });
  it('maps support channels, resolution and satisfaction labels', () => {
    expect(['Phone call', 'Mail', 'Chat', 'Web form', 'Walk-in', 'Carrier pigeon'].map(channelOfValue)).toEqual(['phone', 'email', 'chat', 'web', 'walk-in', 'other']);
    expect(['Solved', 'Closed', 'Open', 'Pending', 'Mystery'].map(resolvedOfValue)).toEqual([true, true, false, false, undefined]);
    expect(['Good', 'Bad', 'Offered', 'Unoffered', 'Not Good', 'Neutral', '???'].map(satisfactionOfValue)).toEqual([1, 0, null, null, 0, 0.5, undefined]);
  });
});

describe('survey questions', () => {
  it('tells instruments apart by question text and scale', () => {
    expect(guessQuestion(column('Q1', ['9', '3', '10'], 'How likely are you to recommend us?'))?.instrument).toBe('nps');
    expect(guessQuestion(column('Q3', ['4', '5'], 'Overall, how satisfied are you?'))?.instrument).toBe('csat');
    expect(guessQuestion(column('Q5', ['6', '7'], 'How easy was it?'))?.instrument).toBe('ces');
    expect(guessQuestion(column('Q2_2', ['4', '2'], 'Please rate - Ease of use'))).toMatchObject({ instrument: 'rating', area: 'Ease of use' });
    expect(guessQuestion(column('Q4_TEXT', ['ok', 'meh'], 'Why?'))?.instrument).toBe('comment');
    expect(guessQuestion(column('Q9', ['Red', 'Blue', 'Red'], 'Favourite colour'))).toBeUndefined();
    expect(guessQuestion(column('Q8', ['150', '20'], 'How many times?'))).toBeUndefined();
  });
});

describe('personal data', () => {
  it('hashes e-mails a feed reads, drops unused personal columns, never drops used ones', () => {
    const cols = [column('Email', ['a@x.io']), column('First Name', ['Ava']), column('Phone Number', ['555']), column('Account Name', ['Acme']), column('PhoneService', ['Yes', 'No'])];
    expect(isPersonalColumn(cols[4]!)).toBe(false);
    expect(proposePii(cols, new Set(['email']))).toEqual({ Email: 'hash', 'First Name': 'drop', 'Phone Number': 'drop' });
    expect(proposePii(cols, new Set(['first name']))).toEqual({ Email: 'drop', 'First Name': 'hash', 'Phone Number': 'drop' });
  });

  it('counts a birth date into an age rather than hashing it, and drops it when unused', () => {
    const born = column('Date of Birth', ['1951-03-04', '1988-12-01', '2001-07-15']);
    expect(isBirthDate(born)).toBe(true);
    expect(isBirthDate(column('Date of Birth', ['n/a', 'x', 'y']))).toBe(false);
    expect(proposePii([born], new Set(['date of birth']))).toEqual({});
    expect(proposePii([born], new Set())).toEqual({ 'Date of Birth': 'drop' });
  });
});

describe('blank customer columns', () => {
  it('filters common blanks (anonymous traffic) but leaves rare ones to quarantine', () => {
    const cells = (blank: number, total: number): string[] => Array.from({ length: total }, (_, i) => (i < blank ? '' : `u${i}`));
    expect(commonlyBlank(column('user_id', cells(30, 100)))).toBe(true);
    expect(commonlyBlank(column('user_id', cells(1, 500)))).toBe(false);
    expect(commonlyBlank(column('user_id', cells(0, 10)))).toBe(false);
  });
});

describe('names', () => {
  it('makes identifiers and labels', () => {
    expect(snakeName('MonthlyCharges')).toBe('monthly_charges');
    expect(snakeName('charge_type (metadata)')).toBe('charge_type');
    expect(snakeName('customerID')).toBe('customer_id');
    expect(snakeName('Acquisition Channel')).toBe('acquisition_channel');
    expect(snakeName('1. How likely?')).toBe('c_1_how_likely');
    expect(humanLabel('paper_bill_fee')).toBe('Paper bill fee');
  });
});
