import { types } from 'pg';
import { parseTimestamptz, pgTypes } from '../../src/db/timestamps';

/** The fast `timestamptz` parser makes exactly the Date node-pg's own makes, for every shape of the text. */
const standard = types.getTypeParser(1184, 'text') as (text: string) => Date;

test.each([
  '2026-11-26 07:46:31+00',
  '2026-11-26 07:46:31.1+00',
  '2026-11-26 07:46:31.123456+00',
  '2026-11-26 07:46:31.999999+00',
  '2026-11-26 07:46:31.12+05:30',
  '2026-11-26 07:46:31.5-03',
  '1970-01-01 00:00:00+00',
  '2024-02-29 23:59:59.000001-09:30',
  '1901-12-13 20:45:52+00:09:21',
  '0099-01-01 00:00:00+00',
  '0099-01-01 00:00:00+00 BC',
  '12345-01-01 00:00:00+00',
  'infinity',
  '-infinity',
])('%s', (text) => {
  const expected = standard(text);
  const actual = parseTimestamptz(text);
  if (expected instanceof Date) expect((actual as Date).getTime()).toBe(expected.getTime());
  else expect(actual).toBe(expected);
});

test('only timestamptz in text takes the fast parser', () => {
  expect(pgTypes.getTypeParser(1184)).toBe(parseTimestamptz);
  expect(pgTypes.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
  expect(pgTypes.getTypeParser(25, 'text')).toBe(types.getTypeParser(25, 'text'));
  expect(pgTypes.getTypeParser(1184, 'binary')).toBe(types.getTypeParser(1184, 'binary'));
});
