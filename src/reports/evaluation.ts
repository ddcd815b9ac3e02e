/**
 * The evaluation as files: CSV and XLSX (exceljs) for the Service Manager's records, and a
 * one-page Word summary (docx) for the Service Director. Built only from the anonymised tables
 * and the figures, never from the requests themselves.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { formatDate, formatDateTime } from '../domain/dates';
import { CONTRIBUTIONS } from '../domain/forms';
import { OUTCOMES, OUTCOME_LABELS, type EvaluationFigures, type ExportTables } from '../domain/evaluation';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would be read as a formula by a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function evaluationCsv(tables: ExportTables): Buffer {
  const lines = [
    'Measure,Value',
    ...tables.figures.map(([k, v]) => `${csvCell(k)},${csvCell(v)}`),
    '',
    tables.requestsHeader.map(csvCell).join(','),
    ...tables.requests.map((r) => r.map(csvCell).join(',')),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function evaluationXlsx(tables: ExportTables, generatedAt: Date): Promise<Buffer> {
  // Loaded when first used: ExcelJS is large, and loading it slowed every start of the server.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Social Media Checks';
  book.created = generatedAt;
  const figures = book.addWorksheet('Figures');
  figures.columns = [
    { header: 'Measure', key: 'measure', width: 52 },
    { header: 'Value', key: 'value', width: 16 },
  ];
  for (const [measure, value] of tables.figures) figures.addRow({ measure, value });
  figures.getRow(1).font = { bold: true };
  const requests = book.addWorksheet('Requests');
  requests.addRow(tables.requestsHeader).font = { bold: true };
  for (const row of tables.requests) requests.addRow(row);
  requests.columns.forEach((c) => {
    c.width = 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const percent = (share: number | null) => (share === null ? 'no assessed requests yet' : `${Math.round(share * 100)}%`);
const orNone = (n: number | null, unit: string) => (n === null ? '—' : `${n} ${unit}`);

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })] });
}

function table(rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map((r, i) => new TableRow({ children: r.map((t) => cell(t, i === 0)) })),
  });
}

/** One page for the Service Director: the three criteria, then the counts behind them. */
export async function evaluationSummaryDocx(figures: EvaluationFigures, generatedAt: Date): Promise<Buffer> {
  const f = figures;
  const c = f.criteria;
  const p = (text: string) => new Paragraph({ children: [new TextRun({ text, size: 20 })], spacing: { after: 80 } });
  const doc = new Document({
    creator: 'Social Media Checks',
    title: 'Pilot evaluation summary',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Social Networking Forensic Use Pilot — evaluation summary', heading: HeadingLevel.HEADING_1 }),
          p(`Requests submitted ${formatDate(f.period.from)} to ${formatDate(f.period.to)}${f.team ? `, team ${f.team}` : ', all teams'}. Generated ${formatDateTime(generatedAt.toISOString())}. Figures come from the recorded work, not from typed returns.`),
          new Paragraph({ text: 'The three questions', heading: HeadingLevel.HEADING_2 }),
          table([
            ['Question', 'Answer from the work'],
            ['1. Do checks give information not otherwise available?', `${c.notOtherwiseAvailable.withUniquePieces} of ${c.notOtherwiseAvailable.assessed} assessed checks (${percent(c.notOtherwiseAvailable.share)}) found ${c.notOtherwiseAvailable.uniquePieces} pieces not otherwise available.`],
            ['2. Is the information of value to the assessment?', `${c.valueToAssessment.considerableOrSignificant} of ${c.valueToAssessment.assessed} (${percent(c.valueToAssessment.share)}) contributed considerably or significantly.`],
            ['3. Is the time taken proportionate?', `Median search ${orNone(c.proportionateTime.medianSearchMinutes, 'minutes')} per check; ${orNone(c.proportionateTime.minutesPerUsefulPiece, 'minutes')} per useful piece.`],
          ]),
          new Paragraph({ text: 'Uses and outcomes', heading: HeadingLevel.HEADING_2 }),
          p(`${f.uses.requests} requests; ${f.time.sessions} timed search sessions totalling ${f.time.totalSearchMinutes} minutes.`),
          table([OUTCOMES.map((o) => OUTCOME_LABELS[o]), OUTCOMES.map((o) => String(f.outcomes.counts[o]))]),
          new Paragraph({ text: 'Turnaround (median hours between steps)', heading: HeadingLevel.HEADING_2 }),
          table([f.turnaround.map((t) => `${t.from} → ${t.to}`), f.turnaround.map((t) => (t.median === null ? '—' : `${t.median} (${t.count})`))]),
          new Paragraph({ text: 'Contribution and follow-up', heading: HeadingLevel.HEADING_2 }),
          table([[...CONTRIBUTIONS], CONTRIBUTIONS.map((k) => String(f.value.contribution[k]))]),
          p(`Six-month follow-ups: ${f.followUp.given} given, ${f.followUp.outstanding} outstanding of ${f.followUp.due} due.`),
          new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: 'No names, dates of birth, addresses or case details appear in this summary.', italics: true, size: 16 })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
