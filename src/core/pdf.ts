import PDFDocument from 'pdfkit';
import { calendarDayIn } from '../shared/clock';
import { minorDigits, money, toDecimal } from '../shared/money';

/**
 * The business documents' one layout (offer letter, contract, settlement statement), written with
 * pdfkit and its standard fonts (Helvetica, whose metrics ship inside the package: nothing is
 * fetched). A document is data — a title, sections of label/value rows, tables and text — so every
 * family's document looks the same, and the same data gives the same bytes: the creation date is
 * the record's, never the clock's, and nothing else in the file varies.
 */
export interface PdfSpec {
  /** Whose document it is: the company's name, at the top of every page. */
  issuer: string;
  /** The issuer's lines under its name (legal name, address, tax number). */
  issuerLines?: string[];
  title: string;
  subtitle?: string;
  /** The PDF's creation date: the record's, so the bytes do not change with the clock. */
  createdAt: Date;
  /** Across every page, large and light (`PROVISIONAL`). */
  watermark?: string;
  sections: PdfSection[];
  /** Small print at the foot of every page, beside the page number. */
  footer?: string;
}

export interface PdfSection {
  heading: string;
  /** Label → value lines; an empty value prints as a dash. */
  rows?: [label: string, value: string | null | undefined][];
  table?: PdfTable;
  /** Paragraphs. */
  text?: string[];
}

export interface PdfTable {
  columns: string[];
  rows: string[][];
  /** Columns whose cells are figures: right-aligned. */
  numeric?: number[];
  /** Each column's share of the width (they add up to 1); equal shares when absent. */
  widths?: number[];
  /** A last row set in bold (totals). */
  total?: string[];
}

const MARGIN = 50;
const BODY = 10;
const SMALL = 8;
const LABEL_WIDTH = 190;
const ROW_GAP = 3;

/** The PDF of `spec`, complete in memory (a document is a few kilobytes). */
export function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: winAnsi(spec.title), Author: winAnsi(spec.issuer), Creator: 'Kisum Base', Producer: 'Kisum Base', CreationDate: spec.createdAt, ModDate: spec.createdAt },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(12).text(winAnsi(spec.issuer));
  doc.font('Helvetica').fontSize(SMALL).fillColor('#555555');
  for (const line of spec.issuerLines ?? []) doc.text(winAnsi(line));
  doc.fillColor('black').moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(18).text(winAnsi(spec.title));
  if (spec.subtitle) doc.font('Helvetica').fontSize(11).text(winAnsi(spec.subtitle));
  doc.moveDown(1);

  for (const section of spec.sections) {
    room(doc, 40);
    doc.font('Helvetica-Bold').fontSize(12).text(winAnsi(section.heading), MARGIN, doc.y, { width });
    rule(doc, width);
    doc.fontSize(BODY);
    for (const [label, value] of section.rows ?? []) labelled(doc, label, value ?? '-', width);
    if (section.table) table(doc, section.table, width);
    for (const paragraph of section.text ?? []) {
      doc.font('Helvetica').fontSize(BODY).text(winAnsi(paragraph), MARGIN, doc.y, { width });
      doc.moveDown(0.5);
    }
    doc.moveDown(1);
  }

  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    if (spec.watermark) watermark(doc, spec.watermark);
    // Below the bottom margin: lifted for the foot, so pdfkit does not start a page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const foot = `${spec.footer ? `${spec.footer} - ` : ''}page ${i + 1} of ${pages.count}`;
    doc.font('Helvetica').fontSize(SMALL).fillColor('#777777').text(winAnsi(foot), MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
  }
  doc.end();
  return done;
}

/** A new page when less than `height` is left on this one. */
function room(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

function rule(doc: PDFKit.PDFDocument, width: number): void {
  const y = doc.y + 2;
  doc.moveTo(MARGIN, y).lineTo(MARGIN + width, y).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.y = y + 6;
}

function labelled(doc: PDFKit.PDFDocument, label: string, value: string, width: number): void {
  const text = winAnsi(value);
  const valueWidth = width - LABEL_WIDTH;
  doc.font('Helvetica').fontSize(BODY);
  const height = Math.max(doc.heightOfString(text, { width: valueWidth }), doc.heightOfString(winAnsi(label), { width: LABEL_WIDTH - 10 }));
  room(doc, height);
  const y = doc.y;
  doc.fillColor('#444444').text(winAnsi(label), MARGIN, y, { width: LABEL_WIDTH - 10 });
  doc.fillColor('black').text(text, MARGIN + LABEL_WIDTH, y, { width: valueWidth });
  doc.y = y + height + ROW_GAP;
}

function table(doc: PDFKit.PDFDocument, spec: PdfTable, width: number): void {
  const shares = spec.widths ?? spec.columns.map(() => 1 / spec.columns.length);
  const widths = shares.map((share) => share * width);
  const lefts = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((sum, w) => sum + w, 0));
  const line = (cells: string[], font: string, color = 'black') => {
    doc.font(font).fontSize(BODY);
    const texts = cells.map(winAnsi);
    const height = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: widths[i] - 6 })));
    room(doc, height);
    const y = doc.y;
    texts.forEach((t, i) => {
      doc.fillColor(color).text(t, lefts[i], y, { width: widths[i] - 6, align: spec.numeric?.includes(i) ? 'right' : 'left' });
    });
    doc.fillColor('black');
    doc.y = y + height + ROW_GAP;
  };
  line(spec.columns, 'Helvetica-Bold', '#444444');
  for (const row of spec.rows) line(row, 'Helvetica');
  if (spec.total) line(spec.total, 'Helvetica-Bold');
}

function watermark(doc: PDFKit.PDFDocument, text: string): void {
  const { width, height } = doc.page;
  doc.save();
  doc.rotate(-35, { origin: [width / 2, height / 2] });
  doc.font('Helvetica-Bold').fontSize(90).fillColor('#cc0000').fillOpacity(0.12);
  const textWidth = doc.widthOfString(winAnsi(text));
  doc.text(winAnsi(text), width / 2 - textWidth / 2, height / 2 - 45, { lineBreak: false });
  doc.restore();
}

/**
 * Characters outside what the standard fonts encode (WinAnsi) would print as other characters: a
 * letter loses its accent if that makes it printable, a space of any width is a space, and anything
 * else is `?` rather than something it is not.
 */
export function winAnsi(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      if (WIN_ANSI.test(ch)) return ch;
      if (/\s/u.test(ch)) return ' ';
      const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      return bare && [...bare].every((c) => WIN_ANSI.test(c)) ? bare : '?';
    })
    .join('');
}
const WIN_ANSI = /^[\n\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]$/u;

/**
 * How documents write values: money in its currency's code and exponent (Intl, exact from the minor
 * units), times and days in the company's time zone, basis points as a percentage.
 */
export class DocumentFormat {
  constructor(readonly timeZone: string) {}

  money(amount: number | null | undefined, currency: string): string {
    if (amount === null || amount === undefined) return '-';
    const digits = minorDigits(currency);
    const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: digits, maximumFractionDigits: digits });
    // A decimal string keeps every digit of the minor units exactly (Intl reads it as a decimal).
    return format.format(toDecimal(money(amount, currency)) as unknown as number).replace(/\s/gu, ' ');
  }

  /** `12 March 2031, 20:00 (Europe/Berlin)`. */
  dateTime(at: Date | string | null | undefined): string {
    if (!at) return '-';
    const text = new Intl.DateTimeFormat('en-GB', { timeZone: this.timeZone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(at));
    return `${text} (${this.timeZone})`;
  }

  /** A calendar day `YYYY-MM-DD` as `12 March 2031` (a day has no time zone). */
  day(day: string | null | undefined): string {
    if (!day) return '-';
    return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${day}T00:00:00Z`));
  }

  /** The day of an instant in the time zone, `YYYY-MM-DD` (for file names). */
  isoDay(at: Date): string {
    return calendarDayIn(at, this.timeZone);
  }

  /** Basis points as a percentage: 4550 → `45.5%`. */
  percent(basisPoints: number | null | undefined): string {
    if (basisPoints === null || basisPoints === undefined) return '-';
    return `${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(basisPoints / 100)}%`;
  }
}
