import { csvLine } from './csv-writer.js';
import { AREAS } from './satisfaction.js';

/**
 * The files of the simulated company and their exact headers, as fixed by
 * docs/simulated-company.md. Keys are the short names used in truth.json's
 * `files` map; bad-row lists name files by their file name.
 */
export type FileKey = 'contacts' | 'payments' | 'subscriptions' | 'tickets' | 'survey' | 'events' | 'referrals' | 'prospects' | 'comments';

export function fileNames(asOf: string): Record<FileKey, string> {
  return {
    contacts: `hubspot-crm-exports-all-contacts-${asOf}.csv`,
    payments: 'unified_payments.csv',
    subscriptions: 'subscriptions.csv',
    tickets: 'zendesk-tickets.csv',
    survey: 'qualtrics-survey.csv',
    events: 'ga4-events.csv',
    referrals: 'referrals.csv',
    prospects: 'prospects.csv',
    comments: 'truth-comments.csv',
  };
}

export const TRUTH_FILE = 'truth.json';

export const HEADERS: Record<Exclude<FileKey, 'survey'>, readonly string[]> = {
  contacts: ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Create Date', 'Lifecycle Stage', 'Contact owner', 'Segment', 'Acquisition Channel', 'Age', 'Region', 'Contract Type', 'Plan', 'Experiment Group'],
  payments: ['id', 'Created date (UTC)', 'Amount', 'Amount Refunded', 'Currency', 'Captured', 'Fee', 'Status', 'Description', 'Customer ID', 'Customer Email', 'charge_type (metadata)', 'product (metadata)'],
  subscriptions: ['id', 'Customer ID', 'Customer Email', 'Plan', 'Status', 'Cancellation Reason', 'Created (UTC)', 'Start (UTC)', 'Canceled At (UTC)', 'Ended At (UTC)'],
  tickets: ['Summation column', 'Id', 'Requester', 'Requester id', 'Requester external id', 'Requester email', 'Subject', 'Status', 'Priority', 'Via', 'Ticket type', 'Created at', 'Solved at', 'Full resolution time in minutes', 'Satisfaction Score', 'Tags'],
  events: ['event_date', 'event_timestamp', 'event_name', 'user_id', 'user_pseudo_id', 'platform', 'traffic_source.source'],
  referrals: ['referrer_id', 'referred_id', 'referred_at'],
  prospects: ['prospect_id', 'Segment', 'Acquisition Channel', 'Age', 'Region', 'Contract Type', 'Plan'],
  comments: ['ResponseId', 'theme', 'language'],
};

export const NPS_QUESTION = 'How likely are you to recommend Northwind to a friend or colleague?';
export const CSAT_QUESTION = 'Overall, how satisfied are you with Northwind?';
export const COMMENT_QUESTION = 'What is the main reason for your score?';

const SURVEY_METADATA: readonly [string, string, string][] = [
  ['StartDate', 'Start Date', '{"ImportId":"startDate","timeZone":"UTC"}'],
  ['EndDate', 'End Date', '{"ImportId":"endDate","timeZone":"UTC"}'],
  ['Status', 'Response Type', '{"ImportId":"status"}'],
  ['IPAddress', 'IP Address', '{"ImportId":"ipAddress"}'],
  ['Progress', 'Progress', '{"ImportId":"progress"}'],
  ['Duration (in seconds)', 'Duration (in seconds)', '{"ImportId":"duration"}'],
  ['Finished', 'Finished', '{"ImportId":"finished"}'],
  ['RecordedDate', 'Recorded Date', '{"ImportId":"recordedDate","timeZone":"UTC"}'],
  ['ResponseId', 'Response ID', '{"ImportId":"_recordId"}'],
  ['RecipientLastName', 'Recipient Last Name', '{"ImportId":"recipientLastName"}'],
  ['RecipientFirstName', 'Recipient First Name', '{"ImportId":"recipientFirstName"}'],
  ['RecipientEmail', 'Recipient Email', '{"ImportId":"recipientEmail"}'],
  ['ExternalReference', 'External Data Reference', '{"ImportId":"externalDataReference"}'],
  ['LocationLatitude', 'Location Latitude', '{"ImportId":"locationLatitude"}'],
  ['LocationLongitude', 'Location Longitude', '{"ImportId":"locationLongitude"}'],
  ['DistributionChannel', 'Distribution Channel', '{"ImportId":"distributionChannel"}'],
  ['UserLanguage', 'User Language', '{"ImportId":"userLanguage"}'],
];

const SURVEY_QUESTIONS: readonly [string, string, string][] = [
  ['Q1', NPS_QUESTION, '{"ImportId":"QID1"}'],
  ...AREAS.map((area, i): [string, string, string] => [`Q2_${i + 1}`, `Please rate - ${area.label}`, `{"ImportId":"QID2_${i + 1}"}`]),
  ['Q3', CSAT_QUESTION, '{"ImportId":"QID3"}'],
  ['Q4_TEXT', COMMENT_QUESTION, '{"ImportId":"QID4_TEXT"}'],
];

const SURVEY_COLUMNS = [...SURVEY_METADATA, ...SURVEY_QUESTIONS];

/** Qualtrics: row 1 column names, row 2 question texts, row 3 import ids. */
export const SURVEY_HEADER_ROWS: readonly (readonly string[])[] = [
  SURVEY_COLUMNS.map(([name]) => name),
  SURVEY_COLUMNS.map(([, text]) => text),
  SURVEY_COLUMNS.map(([, , importId]) => importId),
];

export function headerLines(key: FileKey): string[] {
  return key === 'survey' ? SURVEY_HEADER_ROWS.map(csvLine) : [csvLine(HEADERS[key])];
}

/** Personal data columns per file key. */
export const PII_COLUMNS: Partial<Record<FileKey, readonly string[]>> = {
  contacts: ['First Name', 'Last Name', 'Email', 'Phone Number'],
  payments: ['Customer Email'],
  subscriptions: ['Customer Email'],
  tickets: ['Requester', 'Requester email'],
  survey: ['IPAddress', 'RecipientLastName', 'RecipientFirstName', 'RecipientEmail', 'LocationLatitude', 'LocationLongitude'],
};
