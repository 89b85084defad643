import { permission } from '../../src/permissions/catalog';
import { buildInputType, f } from '../../src/core/fields';

/** One GraphQL input name is one type: a second definition with other fields is a programming error. */
test('an input type asked for again with the same fields is the same class; with other fields it throws', () => {
  const fields = { city: f.text() };
  const first = buildInputType('KitProbeInput', fields, 'create');
  expect(buildInputType('KitProbeInput', fields, 'create')).toBe(first);
  expect(() => buildInputType('KitProbeInput', { city: f.text(), extra: f.text() }, 'create')).toThrow(/defined twice/);
  expect(() => buildInputType('KitProbeInput', fields, 'update')).toThrow(/defined twice/);
});

test('a permission the catalog does not have is refused, even past a cast', () => {

  expect(permission('notification', 'view')).toBe('basic.notification.view');
  // The types refuse these already; the casts stand for a declaration that got past them.
  expect(() => permission('notification', 'create' as 'view')).toThrow(/not in the permission catalog/);
  expect(() => permission('ai', 'view' as 'use')).toThrow(/not in the permission catalog/);
});

test('f.dayOrDateTime reads a calendar day or a date-time with offset, and nothing else', () => {
  const parse = (value: unknown) => f.dayOrDateTime().schema.safeParse(value);
  expect(parse('2032-02-29').data).toEqual({ day: '2032-02-29' });
  expect(parse('2031-06-01T04:00:00+02:00').data).toEqual({ at: new Date('2031-06-01T02:00:00Z') });
  for (const bad of ['2031-02-29', '2031-13-01', '2031-06-01T04:00:00', 'tomorrow', 20310601]) expect(parse(bad).success).toBe(false);
});
