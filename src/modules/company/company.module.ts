import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../auth/request-context';
import { addressField } from '../../core/address';
import { defineInputs, f, InputParsers } from '../../core/fields';
import { ok } from '../../http/rest';
import type { RouteDef } from '../../http/rest';
import { permission } from '../../permissions/catalog';
import type { BaseModule } from '../module';
import { Company } from './company.entity';
import { companyService } from './company.service';

/** What a caller may change: business metadata only (identity and members live in Auth). */
export const companyInputs: InputParsers<Partial<Company>, Partial<Company>> = defineInputs('Company', {
  displayName: f.text().nullable(),
  legalName: f.text().nullable(),
  currency: f.currency(),
  timezone: f.timezone(),
  address: addressField().nullable(),
  taxNumber: f.text(50).nullable(),
  logoFileId: f.id().nullable(),
});

const VIEW = permission('company', 'view');
const EDIT = permission('company', 'edit');

@Resolver(() => Company)
class CompanyResolver {
  @Query(() => Company, { description: 'The business metadata of the x-org company (made with defaults on first read).' })
  company(@Ctx() ctx: RequestContext) {
    return companyService.current(ctx.scope);
  }

  @Mutation(() => Company, { description: 'Changes only the fields sent.' })
  updateCompany(@Arg('input', () => companyInputs.updateType) input: unknown, @Ctx() ctx: RequestContext) {
    const { patch, version } = companyInputs.parseUpdate({ ...(input as object) });
    return companyService.update(ctx.scope, patch, version);
  }
}

/** `current` and the x-org's own id are the same record; any other id is 404. */
const routes: RouteDef[] = [
  {
    method: 'GET',
    path: '/companies/current',
    requirement: VIEW,
    summary: 'Read the current company',
    doc: { record: 'Company', answer: 'one' },
    handler: async ({ ctx }) => ok(await companyService.current(ctx.scope)),
  },
  {
    method: 'PUT',
    path: '/companies/current',
    requirement: EDIT,
    summary: 'Change the current company',
    doc: { body: companyInputs.updateSchema, record: 'Company', answer: 'one' },
    handler: async ({ ctx, body }) => {
      const { patch, version } = companyInputs.parseUpdate(body);
      return ok(await companyService.update(ctx.scope, patch, version));
    },
  },
  {
    method: 'GET',
    path: '/companies/:id',
    requirement: VIEW,
    summary: 'Read the company (x-org only)',
    doc: { record: 'Company', answer: 'one' },
    handler: async ({ ctx, params }) => ok(await companyService.byId(ctx.scope, params.id)),
  },
  {
    method: 'PUT',
    path: '/companies/:id',
    requirement: EDIT,
    summary: 'Change the company (x-org only)',
    doc: { body: companyInputs.updateSchema, record: 'Company', answer: 'one' },
    handler: async ({ ctx, params, body }) => {
      await companyService.byId(ctx.scope, params.id);
      const { patch, version } = companyInputs.parseUpdate(body);
      return ok(await companyService.update(ctx.scope, patch, version));
    },
  },
];

export const companyModule: BaseModule = {
  name: 'company',
  entities: [Company],
  resolvers: [CompanyResolver],
  routes,
  rules: {
    Query: { company: VIEW },
    Mutation: { updateCompany: EDIT },
    Company: { '*': VIEW },
    Address: { '*': 'member' },
  },
  references: {
    Company: {
      async __resolveReference(ref: { id: string }, ctx: RequestContext) {
        ctx.require(VIEW);
        return ref.id?.toLowerCase() === ctx.companyId ? companyService.current(ctx.scope) : null;
      },
    },
  } as BaseModule['references'],
};
