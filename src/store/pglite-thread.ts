/**
 * The worker thread that runs embedded PGlite for openPGliteInThread (./pglite-session): opens it
 * in the data directory, then runs each query it is sent, in order, and answers with the rows or
 * the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPGlite, type FromPGliteThread, type PGliteThreadData, type ThreadError, type ToPGliteThread } from './pglite-session';

/**
 * The error's message, name and own fields, which for PostgreSQL's errors are the SQLSTATE code,
 * detail, constraint and so on. Not the query's parameters: they can hold personal data, and
 * nothing on the other side needs them.
 */
function crossing(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'params' && (value === null || ['string', 'number', 'boolean'].includes(typeof value))) fields[key] = value;
  }
  return { ...fields, message: error.message, name: error.name };
}

function answer(message: FromPGliteThread): void {
  parentPort?.postMessage(message);
}

const { dataDir } = workerData as PGliteThreadData;
const opening = openPGlite(dataDir);
opening.then(
  () => answer({ ready: true }),
  (error: unknown) => answer({ failed: crossing(error) }),
);

parentPort?.on('message', (message: ToPGliteThread) => {
  void (async () => {
    const pglite = await opening;
    if ('close' in message) {
      try {
        await pglite.close();
        answer({ id: message.id, closed: true });
      } catch (error) {
        answer({ id: message.id, error: crossing(error) });
      }
      // Nothing more to do: the thread ends once the answer is on its way.
      parentPort?.close();
      return;
    }
    try {
      const result = await pglite.query(message.sql, [...message.params]);
      answer({ id: message.id, rows: result.rows, ...(result.affectedRows === undefined ? {} : { affectedRows: result.affectedRows }) });
    } catch (error) {
      answer({ id: message.id, error: crossing(error) });
    }
  })();
});
