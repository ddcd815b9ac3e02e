/** The exports parsed back: figures and anonymised rows, with no seeded name, date of birth or address anywhere. */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { SEEDED_PERSONAL_DATA, seedWorkflows, type SeedClock, type Seeded } from './seed';

async function download(api: ApiHarness, path: string, token: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

function expectNoPersonalData(text: string): void {
  for (const value of SEEDED_PERSONAL_DATA) expect(text).not.toContain(value);
  for (const free of ['Family moved out of the area', 'Try the school first', 'Safety plan reviewed', 'Jane', 'Wakefield', 'amelia', 'Hannah']) expect(text).not.toContain(free);
}

describe.each(BACKENDS)('evaluation exports on %s', (backend) => {
  let api: ApiHarness;
  let seeded: Seeded;
  const clock: SeedClock = { now: new Date('2026-06-01T09:00:00Z') };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => clock.now } });
    seeded = await seedWorkflows(api, clock);
  }, 240_000);
  afterAll(async () => api.close());

  test('CSV: the figures, then one anonymised row per request', async () => {
    const csv = await download(api, '/api/evaluation/export?format=csv&from=2026-06-01&to=2026-06-30', seeded.tokens['grace.lee']);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    const text = csv.bytes.toString('utf8');
    expectNoPersonalData(text);
    const [figures, requests] = text.trim().split('\r\n\r\n') as [string, string];
    expect(figures.split('\r\n')).toEqual(expect.arrayContaining(['Requests,7', 'Outcome: Withdrawn,1', 'Outcome: Lapsed (authorisation expired),1', 'Time searching (minutes),45', 'Unique pieces (not otherwise available),3']));
    const lines = requests.split('\r\n');
    expect(lines[0]).toBe(
      'Row,Team,Month submitted,Kind,Outcome,Hours submitted to agreed,Hours agreed to authorised,Hours authorised to claimed,Hours claimed to searched,Hours searched to finalised,Hours finalised to shared,Search sessions,Search minutes,Useful pieces,Unique pieces,Contribution,Feedback given,Six-month follow-up',
    );
    expect(lines.slice(1)).toEqual([
      '1,Assessment Team North,2026-06,one_off,shared,2,24,3,1,4,0.5,1,45,4,3,significant,yes,',
      '2,Assessment Team North,2026-06,,withdrawn,,,,,,,0,0,,,,no,',
      '3,Assessment Team North,2026-06,,declined,,,,,,,0,0,,,,no,',
      '4,Assessment Team North,2026-06,,refused,1,,,,,,0,0,,,,no,',
      '5,Assessment Team North,2026-06,,cancelled,1,,,,,,0,0,,,,no,',
      '6,Assessment Team North,2026-06,one_off,lapsed,1,2,,,,,0,0,,,,no,',
      '7,Assessment Team North,2026-06,,open,6,,,,,,0,0,,,,no,',
    ]);
  });

  test('XLSX: the same figures and rows on two sheets', async () => {
    const xlsx = await download(api, '/api/evaluation/export?format=xlsx&from=2026-06-01&to=2026-06-30', seeded.tokens['sarah.mitchell']);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Figures', 'Requests']);
    const values = (name: string) => {
      const rows: unknown[][] = [];
      book.getWorksheet(name)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    expect(values('Figures')).toEqual(expect.arrayContaining([['Requests', 7], ['Time searching (minutes)', 45]]));
    const requests = values('Requests');
    expect(requests).toHaveLength(8);
    expect(requests[1]).toEqual([1, 'Assessment Team North', '2026-06', 'one_off', 'shared', 2, 24, 3, 1, 4, 0.5, 1, 45, 4, 3, 'significant', 'yes', '']);
    const zip = await JSZip.loadAsync(xlsx.bytes);
    const xml = (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
    expectNoPersonalData(xml);
  });

  test('the one-page summary .docx answers the three questions without personal data', async () => {
    const docx = await download(api, '/api/evaluation/summary.docx?from=2026-06-01&to=2026-06-30', seeded.tokens['sarah.mitchell']);
    expect(docx.status).toBe(200);
    expect(docx.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(docx.bytes);
    const text = ((await zip.file('word/document.xml')?.async('string')) ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Requests submitted 01/06/2026 to 30/06/2026, all teams');
    expect(text).toContain('1 of 1 assessed checks (100%) found 3 pieces not otherwise available.');
    expect(text).toContain('Median search 45 minutes per check; 11.3 minutes per useful piece.');
    expectNoPersonalData(text);
  });

  test('exports are for service managers and directors, audited, and check their format', async () => {
    expect((await download(api, '/api/evaluation/export?format=csv&from=2026-06-01&to=2026-06-30', seeded.tokens['amelia.hart'])).status).toBe(403);
    const bad = await api.call('GET', '/api/evaluation/export?format=pdf&from=2026-06-01&to=2026-06-30', { token: seeded.tokens['grace.lee'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields).toEqual({ format: 'Choose csv or xlsx.' });
    const { rows } = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('action', 'in', ['export_evaluation', 'refused:view-evaluation']).execute().then((r) => ({ rows: r }));
    expect(rows).toEqual(expect.arrayContaining([{ action: 'export_evaluation', actor_id: 'grace.lee' }, { action: 'refused:view-evaluation', actor_id: 'amelia.hart' }]));
  });
});
