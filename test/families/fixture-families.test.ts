import { useTestBase } from '../support/harness';
import { familySuite } from '../support/family-suite';
import { createVia } from '../support/fixtures';
import { WITH_FIXTURE_FAMILIES } from '../support/fixture-families';

/**
 * The family suite on shapes no real family has yet: a family labelled by `title` instead of
 * `name` (gigs), one nested under it (seats at `/api/gigs/{gigId}/seats`), and one without an
 * update (documents). What holds here holds for the next family declared that way.
 */
const base = useTestBase({}, WITH_FIXTURE_FAMILIES);

familySuite(base, {
  resource: 'event',
  typeName: 'Gig',
  singular: 'gig',
  plural: 'gigs',
  path: '/api/gigs',
  table: 'fixture_gigs',
  label: 'title',
  search: true,
  fullBody: async () => ({ title: 'Open Air', notes: 'Bring a coat.' }),
  minimalBody: (title) => ({ title }),
  minimalDefaults: { notes: null },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: 'id createdAt updatedAt createdBy version title notes',
  clearable: 'notes',
});

familySuite(base, {
  resource: 'ticket',
  typeName: 'Seat',
  singular: 'seat',
  plural: 'seats',
  path: '/api/gigs/:parent/seats',
  table: 'fixture_seats',
  label: 'code',
  parent: { key: 'gigId', create: async (b, actor) => (await createVia(b, actor, '/api/gigs', { title: 'Parent gig' })).id },
  fullBody: async () => ({ code: 'B-12', section: 'Balcony' }),
  minimalBody: (code) => ({ code }),
  minimalDefaults: { section: null },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: 'id createdAt updatedAt createdBy version gigId code section',
  clearable: 'section',
});

familySuite(base, {
  resource: 'file',
  typeName: 'Document',
  singular: 'document',
  plural: 'documents',
  path: '/api/documents',
  table: 'fixture_documents',
  operations: ['list', 'one', 'create', 'delete'],
  label: 'title',
  search: true,
  fullBody: async () => ({ title: 'Rider', summary: 'Technical rider, v3.' }),
  minimalBody: (title) => ({ title }),
  minimalDefaults: { summary: null },
  toGraphql: (rest) => rest,
  graphqlInput: (rest) => rest,
  selection: 'id createdAt updatedAt createdBy version title summary',
  clearable: 'summary',
});
