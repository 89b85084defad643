import { safeFileName } from '../../src/core/documents';
import { DocumentFormat, renderPdf, winAnsi, type PdfSpec } from '../../src/core/pdf';
import { pdfText, sha256 } from '../support/pdf';

/**
 * The documents' layout and formats (src/core/pdf.ts, src/core/documents.ts), pure: the same data
 * gives the same bytes, pages flow with the watermark and page numbers on each, text the standard
 * fonts cannot print is replaced rather than garbled, and names and money are written safely.
 */
const spec = (over: Partial<PdfSpec> = {}): PdfSpec => ({
  issuer: 'Issuer Ltd',
  title: 'A title',
  createdAt: new Date('2030-01-02T03:04:05Z'),
  sections: [{ heading: 'Rows', rows: [['Label', 'Value'], ['Empty', null]] }],
  ...over,
});

test('the same data gives the same bytes; another creation date gives others', async () => {
  const [a, b] = [await renderPdf(spec()), await renderPdf(spec())];
  expect(sha256(a)).toBe(sha256(b));
  expect(sha256(await renderPdf(spec({ createdAt: new Date('2030-01-02T03:04:06Z') })))).not.toBe(sha256(a));
  expect(await pdfText(a)).toContain('Label Value Empty -');
});

test('a long document flows onto more pages, each with the watermark and its number', async () => {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}: ${'words '.repeat(40)}`);
  const bytes = await renderPdf(spec({ watermark: 'PROVISIONAL', footer: 'Foot', sections: [{ heading: 'Long', text: paragraphs }] }));
  const text = await pdfText(bytes);
  const pages = Number(/page 1 of (\d+)/.exec(text)?.[1]);
  expect(pages).toBeGreaterThan(2);
  expect(text.match(/PROVISIONAL/g)).toHaveLength(pages);
  for (let page = 1; page <= pages; page++) expect(text).toContain(`Foot - page ${page} of ${pages}`);
  expect(text).toContain('Paragraph 60:');
});

test('text the standard fonts cannot print: accents dropped where that prints it, else ?', () => {
  expect(winAnsi('Björk – “Café” €5 £3 ¥9')).toBe('Björk – “Café” €5 £3 ¥9');
  expect(winAnsi('Dvořák Łódź')).toBe('Dvorák ?ódz');
  expect(winAnsi('東京 ₹100\u202f!')).toBe('?? ?100 !');
});

test('file names: accents dropped, anything else one dash, never empty, always .pdf', () => {
  expect(safeFileName('offer-Sigur Rós 東京-2034-05-17.pdf')).toBe('offer-Sigur-Ros-2034-05-17.pdf');
  expect(safeFileName('../../etc/passwd')).toBe('etc-passwd.pdf');
  expect(safeFileName('"; filename=x.exe')).toBe('filename-x.exe.pdf');
  expect(safeFileName('東京')).toBe('document.pdf');
  expect(safeFileName('a'.repeat(300)).length).toBeLessThanOrEqual(120);
});

test('money in its currency\'s exponent, exactly; days and times in the time zone given', () => {
  const format = new DocumentFormat('Asia/Tokyo');
  expect(format.money(123456789, 'EUR')).toBe('EUR 1,234,567.89');
  expect(format.money(5, 'USD')).toBe('USD 0.05');
  expect(format.money(4000, 'JPY')).toBe('JPY 4,000');
  expect(format.money(1234567, 'BHD')).toBe('BHD 1,234.567');
  // Past 2^53 / 100 a float would lose the last cent; the decimal string does not.
  expect(format.money(9007199254740991, 'EUR')).toBe('EUR 90,071,992,547,409.91');
  expect(format.money(null, 'EUR')).toBe('-');
  expect(format.dateTime(new Date('2031-06-01T20:00:00Z'))).toBe('2 June 2031 at 05:00 (Asia/Tokyo)');
  expect(format.day('2031-06-01')).toBe('1 June 2031');
  expect(format.isoDay(new Date('2031-06-01T20:00:00Z'))).toBe('2031-06-02');
  expect(format.percent(4550)).toBe('45.5%');
  expect(format.percent(1)).toBe('0.01%');
});
