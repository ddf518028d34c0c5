/**
 * Runs heavy work one piece at a time. Analyses write their stored Results
 * (results/<version>/<name>.json) through a temporary file named after the
 * process, so two runs of one analysis in the same process would trip over
 * each other's file; on two cores, running them side by side would not be
 * faster anyway.
 *
 * @example
 * const lane = new Lane();
 * const result = await lane.run(() => workspace.analyze(['profile']));
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    // The lane moves on whether the work succeeds or fails.
    this.tail = next.catch(() => undefined);
    return next;
  }
}
