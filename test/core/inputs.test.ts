import { buildInputType, f } from '../../src/core/fields';

/** One GraphQL input name is one type: a second definition with other fields is a programming error. */
test('an input type asked for again with the same fields is the same class; with other fields it throws', () => {
  const fields = { city: f.text() };
  const first = buildInputType('KitProbeInput', fields, 'create');
  expect(buildInputType('KitProbeInput', fields, 'create')).toBe(first);
  expect(() => buildInputType('KitProbeInput', { city: f.text(), extra: f.text() }, 'create')).toThrow(/defined twice/);
  expect(() => buildInputType('KitProbeInput', fields, 'update')).toThrow(/defined twice/);
});
