const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Digits with the separators phone numbers are written with; starts at a digit, a + or an opening parenthesis. */
const DIGIT_RUN = /(?:\+|\(\s*)?\d(?:[\d .()-]*\d)?/g;
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
/** The shortest local phone numbers have 7 digits; E.164 allows at most 15. */
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;

/**
 * Customers write their e-mail address, phone number or card number into
 * free text ("call me on 07700 900123"); a sample comment shown in a
 * Result must not carry them. Masks e-mail addresses as [email], runs of 7
 * to 15 digits (spaces, dots, dashes, parentheses and a leading + between
 * them allowed) as [phone], and longer runs (card and account numbers) as
 * [number]. Dates (2025-03-01, 01/03/2025) and amounts ($49.99, 1,200) are
 * left alone: they identify no one and often explain the comment.
 *
 * @example maskPersonalData('Mail jo.b@x.com or ring +44 7700 900123') // 'Mail [email] or ring [phone]'
 */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '').length;
    if (digits < MIN_PHONE_DIGITS || DATE.test(run.trim())) return run;
    return digits <= MAX_PHONE_DIGITS ? '[phone]' : '[number]';
  });
}
