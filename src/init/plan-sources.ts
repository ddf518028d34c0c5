import type { Engine } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import { snakeName, uniqueName } from './names.js';
import { proposeBehaviourEvents } from './propose/behaviour-events.js';
import { buildCustomerDirectory, type CustomerDirectory } from './propose/customer-directory.js';
import { resolveCustomerRef } from './propose/customer-ref.js';
import { chooseCustomerId, chooseEmail, proposeCustomers } from './propose/customers.js';
import type { ProposeContext, ProposedFeeds, SourceFacts } from './propose/draft.js';
import { proposeInteractions } from './propose/interactions.js';
import { proposeReferrals } from './propose/referrals.js';
import { proposeStatusChanges } from './propose/status-changes.js';
import { proposeSurveyResponses } from './propose/survey-responses.js';
import { proposeTransactions } from './propose/transactions.js';
import { inspectFile, type InspectionNotes } from './read/inspect-file.js';
import { recognise } from './recognise/recognise.js';
import type { SourcePlan } from './source-body.js';
import type { FileInspection, Recognition } from './types.js';

export interface SkippedFile {
  file: string;
  why: string;
  /** Not recognised at all (listed apart from files recognised but left out). */
  unrecognised?: boolean;
}

export interface Plan {
  sources: SourcePlan[];
  skipped: SkippedFile[];
  facts: Partial<SourceFacts>[];
}

/** Which customer list wins when several are given: the CRM over shop and billing lists. */
const CUSTOMER_LIST_PRIORITY = ['hubspot-contacts', 'generic-customers', 'telco', 'bank-churn', 'shopify-customers', 'stripe-customers'];

const PROPOSERS: Record<Exclude<CanonicalTableName, 'customers'>, (ctx: ProposeContext) => ProposedFeeds> = {
  transactions: proposeTransactions,
  interactions: proposeInteractions,
  survey_responses: proposeSurveyResponses,
  behaviour_events: proposeBehaviourEvents,
  status_changes: proposeStatusChanges,
  referrals: proposeReferrals,
};

interface Seen {
  file: FileInspection;
  readNotes: InspectionNotes;
  recognition: Recognition;
}

/**
 * Inspect and recognise every file, pick the customer list (the identity
 * every other file joins to), then propose each file's feeds.
 */
export async function planSources(files: readonly string[], engine: Engine): Promise<Plan> {
  const skipped: SkippedFile[] = [];
  const seen: Seen[] = [];
  for (const path of files) {
    const { inspection, notes } = await inspectFile(path, engine);
    const recognition = recognise(inspection);
    if (recognition === undefined) {
      const headers = inspection.columns.slice(0, 6).map((c) => c.name).join(', ');
      skipped.push({ file: inspection.path, why: `not recognised (headers ${headers}${inspection.columns.length > 6 ? ', ...' : ''}); map it by hand`, unrecognised: true });
    } else if (recognition.leaveOut !== undefined) {
      skipped.push({ file: inspection.path, why: `${recognition.label}: ${recognition.leaveOut}` });
    } else seen.push({ file: inspection, readNotes: notes, recognition });
  }

  const customerLists = seen.filter((s) => s.recognition.tables[0] === 'customers');
  const rank = (s: Seen): number => {
    const i = CUSTOMER_LIST_PRIORITY.indexOf(s.recognition.tool);
    return i < 0 ? CUSTOMER_LIST_PRIORITY.length : i;
  };
  const primary = [...customerLists].sort((a, b) => rank(a) - rank(b))[0];
  const names = new Set<string>();
  const sources: SourcePlan[] = [];
  const facts: Partial<SourceFacts>[] = [];
  let directory: CustomerDirectory | undefined;

  if (primary !== undefined) {
    const id = chooseCustomerId(primary.file);
    if (id === undefined) {
      skipped.push({ file: primary.file.path, why: `${primary.recognition.label}: no column is unique per row, so none can be the customer id` });
    } else {
      const name = uniqueName(snakeName(primary.recognition.sourceName), names);
      directory = await buildCustomerDirectory(engine, name, primary.file, id, chooseEmail(primary.file, id));
      const proposed = proposeCustomers({ file: primary.file, recognition: primary.recognition }, id);
      sources.push({ name, file: primary.file, readNotes: primary.readNotes, recognition: primary.recognition, proposed });
      facts.push(proposed.facts);
    }
  }

  for (const s of seen) {
    if (s === primary) continue;
    const table = s.recognition.tables[0];
    if (table === undefined) continue;
    if (table === 'customers') {
      const why = directory === undefined ? 'no column is unique per row' : `customers already come from ${directory.sourceName} (${directory.file.fileName}); add its columns there by hand if you need them`;
      skipped.push({ file: s.file.path, why: `${s.recognition.label}: a second customer list: ${why}` });
      continue;
    }
    const customer = table === 'referrals' ? undefined : await resolveCustomerRef(s.file, directory);
    const proposed = PROPOSERS[table]({ file: s.file, recognition: s.recognition, directory, customer });
    if (proposed.leaveOut !== undefined || proposed.feeds.length === 0) {
      skipped.push({ file: s.file.path, why: `${s.recognition.label}: ${proposed.leaveOut ?? 'nothing to map'}` });
      continue;
    }
    const name = uniqueName(snakeName(s.recognition.sourceName), names);
    sources.push({ name, file: s.file, readNotes: s.readNotes, recognition: s.recognition, proposed });
    facts.push(proposed.facts);
  }
  return { sources, skipped, facts };
}
