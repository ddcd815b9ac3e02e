import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { benchDecisions } from '../bench/decisions';
(async () => { const s = await startPostgres(); try { const r = await benchDecisions(s.url, Number(process.argv[2] ?? 500)); console.log(JSON.stringify(r)); } finally { await stopPostgres(s); } })();
