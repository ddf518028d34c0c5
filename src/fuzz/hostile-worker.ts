import { rm } from 'node:fs/promises';
import { checkHostileFile, hostileResult, type HostileResult } from './check-hostile-file.js';
import { hostileFile } from './hostile-files.js';

/** A request from run-hostile.ts: generate file `index` of `seed`, run it in workspace `dir`. */
export interface WorkerRequest {
  seed: number;
  index: number;
  dir: string;
  keep: boolean;
}

export type WorkerMessage = { ready: true } | { result: HostileResult };

// A child process of run-hostile.ts, so a crash or a hang in native code
// (DuckDB) costs one file, not the run: the parent kills and replaces it.
const send = (message: WorkerMessage): void => {
  if (process.send === undefined) throw new Error('hostile-worker runs as a child process of run-hostile.ts');
  process.send(message);
};

process.on('message', (request: WorkerRequest) => {
  void (async () => {
    let result: HostileResult;
    const file = hostileFile(request.seed, request.index);
    try {
      result = await checkHostileFile(file, request.dir);
    } catch (error) {
      result = hostileResult(file, 0, { status: 'failure', stage: 'check', problem: `${(error as Error).name}: ${(error as Error).message}` });
    }
    if (!request.keep) await rm(request.dir, { recursive: true, force: true }).catch(() => undefined);
    send({ result });
  })();
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
