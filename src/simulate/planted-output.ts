import type { QuarantineReason } from '../model/ledger.js';
import { CLEAN_LEAD, PlantSchedule, type Plant, type PlantPlanOptions } from './bad-rows.js';
import { CsvFileWriter, csvLine } from './csv-writer.js';
import { buildDefect, buildPreview, buildUnterminated, type DefectContext } from './defects.js';
import { headerLines, type FileKey } from './files.js';
import type { Rng } from './random.js';

export interface PlantLog {
  badRows: { file: string; line: number; reason: QuarantineReason }[];
  exactDuplicates: { file: string; line: number }[];
  excluded: { file: string; line: number; rule: string }[];
}

/**
 * One export file: clean rows go through `emit`, and the file's planted rows
 * (bad rows, exact duplicates, previews) follow the schedule, each logged
 * with the physical line it starts on.
 */
export class PlantedOutput {
  readonly writer: CsvFileWriter;
  clean = 0;
  bad = 0;
  duplicates = 0;
  excluded = 0;
  private template: string[] | null = null;
  private lastRecord = '';
  private readonly schedule: PlantSchedule | null;

  constructor(
    dir: string,
    private readonly key: FileKey,
    fileName: string,
    private readonly log: PlantLog,
    private readonly context: DefectContext,
    plan: { rng: Rng; estimatedRows: number; options: PlantPlanOptions } | null,
  ) {
    this.writer = new CsvFileWriter(dir, fileName, headerLines(key));
    this.schedule = plan === null ? null : new PlantSchedule(plan.rng, plan.estimatedRows, plan.options);
  }

  emit(fields: string[]): void {
    const record = csvLine(fields);
    this.writer.writeRecord(record);
    this.clean += 1;
    this.template = fields;
    this.lastRecord = record;
    if (this.schedule === null) return;
    for (let plant = this.schedule.due(this.clean); plant !== null; plant = this.schedule.due(this.clean)) this.plant(plant);
  }

  /** Plants what is left, then (optionally) the unterminated-quote last line. */
  finish(unterminatedColumn: string | null): void {
    if (this.schedule === null) return;
    const rest = this.schedule.remaining();
    if (this.clean < CLEAN_LEAD || this.template === null) return;
    for (const plant of rest) this.plant(plant);
    if (unterminatedColumn !== null) {
      const line = this.writer.writeRecord(buildUnterminated(this.key, unterminatedColumn, this.template, this.context));
      this.bad += 1;
      this.log.badRows.push({ file: this.writer.name, line, reason: 'unterminated_quote' });
    }
  }

  private plant(plant: Plant): void {
    const template = this.template;
    if (template === null) return;
    const file = this.writer.name;
    if (plant.type === 'duplicate') {
      const line = this.writer.writeRecord(this.lastRecord);
      this.duplicates += 1;
      this.log.exactDuplicates.push({ file, line });
    } else if (plant.type === 'preview') {
      const line = this.writer.writeRecord(buildPreview(template, this.context));
      this.excluded += 1;
      this.log.excluded.push({ file, line, rule: 'survey_preview' });
    } else {
      for (const record of buildDefect(this.key, plant.reason, template, this.context)) {
        const line = typeof record === 'string' ? this.writer.writeRecord(record) : this.writer.writeBytesRecord(record);
        this.bad += 1;
        this.log.badRows.push({ file, line, reason: plant.reason });
      }
    }
  }
}
