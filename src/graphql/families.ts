import { getMetadataStorage, ID, Int } from 'type-graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { BadRequestError, PayloadTooLargeError } from '../shared/errors';
import type { RequestContext } from '../auth/request-context';
import { DomainEvent } from '../core/events';
import { describeAction, describeOperation } from '../core/descriptions';
import type { FamilyDef } from '../core/family';
import { buildFilterType, parseFilters, parsePaging } from '../core/listing';
import type { FamilyModule } from '../core/module';
import type { RelationDef } from '../core/relations';
import { readComputed, ComputedReadDef } from '../core/computed-reads';
import { type FamilyService, serviceOf } from '../core/service';
import type { TenantEntity } from '../db/base-entity';
import type { Requirement } from '../permissions/catalog';
import { noteEnumValues } from '../core/enums';
import { ArgDef, buildResolver, describeType, givenArgs, inputArgs, MemberDef, pageType, PAGING_ARGS } from './resolvers';
import { mergeRules, RuleSpec } from './rules';
import { registerRelation, selectedColumns, selectedFields } from './selection';
import { CREATOR, userFieldsResolver } from './users';
import { documentMember } from './documents';
import type { ClassType } from '../db/class-type';

/**
 * The GraphQL side of a family, made from its declaration: queries and mutations for the operations
 * it has, a mutation per action, the `history` field, the fields between families, the permission rule
 * of every field, and the federation reference resolver.
 */
export interface FamilyGraph {
  resolvers: ClassType[];
  rules: RuleSpec;
  references: Record<string, { __resolveReference(ref: { id?: unknown }, ctx: RequestContext): unknown }>;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const graphs = new WeakMap<FamilyModule, FamilyGraph>();

/** Made once per family: type-graphql keeps its metadata globally, so the classes must not repeat. */
export function familyGraph(module: FamilyModule): FamilyGraph {
  let graph = graphs.get(module);
  if (!graph) graphs.set(module, (graph = makeFamilyGraph(module)));
  return graph;
}

function makeFamilyGraph(module: FamilyModule): FamilyGraph {
  const added = [...(module.relations ?? []).map(relationMember), ...(module.computedReads ?? []).map(computedReadMember), ...(module.documents ?? []).map(documentMember)];
  if (module.family.readModel) {
    return { resolvers: added.map((r) => r.resolver), rules: mergeRules(added.map((r) => r.rules)), references: {} };
  }
  const own = recordGraph(module);
  return {
    resolvers: [...own.resolvers, ...added.map((r) => r.resolver)],
    rules: mergeRules([own.rules, ...added.map((r) => r.rules)]),
    references: own.references,
  };
}

/** `<Type>.<name>`: the computed read of the record, batched per request, under its requirement (as is every field of its answer). */
function computedReadMember(computed: ComputedReadDef): { resolver: ClassType; rules: RuleSpec } {
  const source = computed.of();
  const member: MemberDef = {
    kind: 'field',
    name: computed.name,
    returns: () => computed.type,
    // nullable: a denied field is null with FORBIDDEN on its path, the rest still arrives
    nullable: true,
    description: computed.description,
    args: inputArgs(computed.input),
    resolve: (row: TenantEntity, args, ctx) => readComputed(computed, row, ctx.scope, computed.parseInput(givenArgs(args))),
  };
  return {
    resolver: buildResolver(`${source.typeName}${pascal(computed.name)}ComputedReadResolver`, () => source.entity, [member]),
    rules: {
      [source.typeName]: { [computed.name]: computed.requirement },
      ...Object.fromEntries([computed.type, ...computed.valueTypes].map((t) => [t.name, { '*': computed.requirement }])),
    },
  };
}

function recordGraph(module: FamilyModule): { resolvers: ClassType[]; rules: RuleSpec; references: FamilyGraph['references'] } {
  const def = module.family;
  const service = module.service ?? serviceOf(def);
  const Type = def.entity;
  // Made now, not inside the type thunks: type-graphql reads its metadata before it calls them.
  const Page = pageType(Type, def.typeName);
  const HistoryPage = pageType(DomainEvent, 'HistoryEntry');
  const parentArg: ArgDef[] = def.parent ? [{ name: def.parent.key, type: () => ID, description: `The ${def.parent.family().typeName} it belongs to.` }] : [];
  const parentOf = (args: Record<string, unknown>) => (def.parent ? String(args[def.parent.key]) : undefined);
  const idArg: ArgDef[] = def.singleton ? [] : [{ name: 'id', type: () => ID, description: `The ${def.typeName}'s id.` }];
  const idOf = (args: Record<string, unknown>, ctx: RequestContext) => (def.singleton ? ctx.caller.companyId : String(args.id));
  const members: MemberDef[] = [];
  const mutationRules: Record<string, Requirement> = {};
  const queryRules: Record<string, Requirement> = {};

  if (def.operations.has('one')) {
    members.push({
      kind: 'query',
      name: def.singular,
      returns: () => Type,
      nullable: !def.singleton,
      description: def.singleton ? def.description : `One ${def.typeName} by id; null when absent.`,
      args: idArg,
      resolve: (args, ctx) => (def.singleton ? service.get(ctx.scope, idOf(args, ctx)) : service.find(ctx.scope, idOf(args, ctx))),
    });
    queryRules[def.singular] = def.needs('one');
  }
  if (def.operations.has('list')) {
    const Filter = Object.keys(def.filters).length ? buildFilterType(def.typeName, def.filters) : null;
    members.push({
      kind: 'query',
      name: def.plural,
      returns: () => Page,
      description: `${def.description ? `${sentence(def.description)} ` : ''}${def.typeName} records${def.parent ? ` of one ${def.parent.family().typeName}` : ''}, a page at a time${Filter ? '; `filter` narrows them' : ''}.`,
      args: [
        ...parentArg,
        ...(Filter ? [{ name: 'filter', type: () => Filter, nullable: true, description: 'Narrows the list: every filter given must hold; absent, every record.' }] : []),
        ...PAGING_ARGS,
      ],
      resolve: (args, ctx, info) =>
        service.list(
          ctx.scope,
          parseFilters(def.filters, args.filter as Record<string, unknown>, 'graphql'),
          // `total` costs a count statement: only when the query selects it (or whether it is an estimate).
          { ...parsePaging(args, 'graphql'), count: ['total', 'totalIsEstimate'].some((f) => selectedFields(info).has(f)) },
          parentOf(args),
          selectedColumns(info, Type, true),
        ),
    });
    queryRules[def.plural] = def.needs('list');
  }
  const summaryRules: RuleSpec = {};
  for (const query of def.queries) {
    const name = query.graphqlName;
    const ownArgs = inputArgs(query.input);
    const { summary } = query;
    if (summary) {
      members.push({
        kind: 'query',
        name: summary.graphqlName,
        returns: () => [summary.type],
        maxItems: summary.maxItems,
        description: summary.description,
        args: ownArgs,
        resolve: (args, ctx) => summary.run(query.parseInput(givenArgs(args)), ctx.scope),
      });
      queryRules[summary.graphqlName] = query.permission;
      summaryRules[summary.type.name] = { '*': query.permission };
    }
    members.push({
      kind: 'query',
      name,
      returns: query.page ? () => Page : query.count ? () => Int : () => [Type],
      maxItems: query.maxItems,
      description: query.description,
      args: [...ownArgs, ...(query.page ? PAGING_ARGS : [])],
      resolve: (args, ctx) => {
        const own = givenArgs(args, Boolean(query.page));
        if (query.page) return query.page(query.parseInput(own), ctx.scope, parsePaging(args, 'graphql'));
        return query.count ? query.count(query.parseInput(own), ctx.scope) : query.run!(query.parseInput(own), ctx.scope);
      },
    });
    queryRules[name] = query.permission;
  }
  for (const command of def.commands) {
    if (command.inputType) describeType(command.inputType, `What \`${command.graphqlName}\` takes.`);
    members.push({
      kind: 'mutation',
      name: command.graphqlName,
      returns: () => Int,
      description: `${command.description} Answers how many records it changed.`,
      args: command.inputType ? [{ name: 'input', type: () => command.inputType!, description: `What \`${command.graphqlName}\` takes.` }] : [],
      resolve: (args, ctx) => {
        const input = command.parseInput(args.input ?? {});
        return ctx.scope.transaction((tx) => command.run(input, tx));
      },
    });
    mutationRules[command.graphqlName] = command.permission;
  }
  if (def.operations.has('create')) {
    const name = `create${def.typeName}`;
    describeType(def.inputs.createType, `The fields of a new ${def.typeName} (\`${name}\`).`);
    members.push({
      kind: 'mutation',
      name,
      returns: () => Type,
      description: describeOperation(def, 'create', `Creates ${withArticle(def.typeName)}; answers the new record.`),
      args: [...parentArg, { name: 'input', type: () => def.inputs.createType, description: `The new ${def.typeName}'s fields.` }],
      resolve: (args, ctx) => service.create(ctx.scope, def.inputs.parseCreate({ ...(args.input as object) }), parentOf(args)),
    });
    mutationRules[name] = def.needs('create');
  }
  for (const upload of def.uploads) {
    members.push({
      kind: 'mutation',
      name: upload.graphqlName,
      returns: () => Type,
      description: `${upload.description} A multipart request (graphql-multipart-request-spec) with the header \`apollo-require-preflight\` or the auth headers.`,
      args: [{ name: 'file', type: () => GraphQLUpload, description: 'The bytes (the multipart part the map names).' }, ...inputArgs(upload.input)],
      resolve: async (args, ctx) => {
        const { file, ...rest } = args;
        const input = upload.parseInput(givenArgs(rest));
        const received = await (file as Promise<FileUpload>);
        const content = { filename: received.filename, contentType: received.mimetype, stream: uploadedBytes(received) };
        return ctx.scope.transaction((tx) => upload.run(content, input, tx, ctx.caller));
      },
    });
    mutationRules[upload.graphqlName] = upload.permission;
  }
  for (const download of def.downloads) {
    members.push({
      kind: 'field',
      name: download.pathField,
      returns: () => String,
      description: `The REST path of ${download.description.charAt(0).toLowerCase()}${download.description.slice(1)}`,
      args: [],
      resolve: (root: TenantEntity) => download.pathOf(root),
    });
  }
  if (def.operations.has('update')) {
    const name = `update${def.typeName}`;
    describeType(def.inputs.updateType, `The fields of ${withArticle(def.typeName)} to change (\`${name}\`): only those sent change.`);
    members.push({
      kind: 'mutation',
      name,
      returns: () => Type,
      description: describeOperation(def, 'update', 'Changes only the fields sent.'),
      args: [...idArg, { name: 'input', type: () => def.inputs.updateType, description: 'The fields to change, and the version you read.' }],
      resolve: (args, ctx) => {
        const { patch, version } = def.inputs.parseUpdate({ ...(args.input as object) });
        return service.update(ctx.scope, idOf(args, ctx), patch, version);
      },
    });
    mutationRules[name] = def.needs('update');
  }
  if (def.operations.has('delete')) {
    const name = `delete${def.typeName}`;
    members.push({
      kind: 'mutation',
      name,
      returns: () => ID,
      description: describeOperation(def, 'delete', 'Returns the id of the deleted record.'),
      args: [
        ...idArg,
        { name: 'version', type: () => Int, nullable: true, description: 'The version you read; if the record has changed since, the delete is refused.' },
      ],
      resolve: async (args, ctx) => {
        await service.delete(ctx.scope, idOf(args, ctx), (args.version as number | null) ?? undefined);
        return idOf(args, ctx);
      },
    });
    mutationRules[name] = def.needs('delete');
  }
  for (const action of def.actions) {
    const name = `${action.name}${def.typeName}`;
    if (action.inputType) describeType(action.inputType, `What \`${name}\` takes besides the id.`);
    members.push({
      kind: 'mutation',
      name,
      returns: () => Type,
      description: describeAction(def, action),
      args: [...idArg, ...(action.inputType ? [{ name: 'input', type: () => action.inputType!, description: `What \`${name}\` takes besides the id.` }] : [])],
      resolve: (args, ctx) => service.act(ctx.scope, action.name, idOf(args, ctx), args.input ?? {}),
    });
    mutationRules[name] = action.permission;
  }
  if (def.history) members.push({
    kind: 'field',
    name: 'history',
    returns: () => HistoryPage,
    description: 'What happened to this record, newest first: who did what and when.',
    args: PAGING_ARGS,
    resolve: (root: TenantEntity, args, ctx) =>
      ctx.scope
        .pagedManyBy(DomainEvent, 'entityId', parsePaging(args, 'graphql'), (qb, a) => qb.orderBy(`${a}.occurredAt`, 'DESC').addOrderBy(`${a}.id`, 'DESC'))
        .load(root.id),
  });

  describeStates(def);

  return {
    resolvers: [buildResolver(`${def.typeName}Resolver`, () => Type, members), userFieldsResolver(Type, def.typeName, { ...CREATOR, ...def.userFields })],
    rules: mergeRules([
      {
        ...(Object.keys(queryRules).length ? { Query: queryRules } : {}),
        ...(Object.keys(mutationRules).length ? { Mutation: mutationRules } : {}),
        // `id` only needs membership: it lets a caller with `create` but not `view` learn what it made,
        // and reveals nothing, since every way to reach a record is itself guarded by `view`.
        [def.typeName]: { '*': def.can.view, id: 'member', ...(def.history ? { history: def.can.view } : {}), ...def.nested },
        ...(def.operations.has('list') ? { [`${def.typeName}Page`]: { '*': def.can.view } } : {}),
        // Its value objects are read only through its own guarded fields, like an address.
        ...Object.fromEntries(def.valueTypes.map((t) => [t.name, { '*': 'member' as const }])),
      },
      summaryRules,
    ]),
    references: { [def.typeName]: reference(def, service) },
  };
}

/** `an Event`, `a Task`. */
const withArticle = (typeName: string) => `${/^[AEIOU]/.test(typeName) ? 'an' : 'a'} ${typeName}`;

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * Each value of a family's state enum says how a record comes into that state and what it may do
 * from there, in the GraphQL names of its mutations: its actions' `from` and `to`, the machine's own
 * moves, where a new record starts, and which states are final.
 */
function describeStates(def: FamilyDef): void {
  const machine = def.states;
  if (!machine) return;
  const field = getMetadataStorage().fields.find((f) => f.target === def.entity && f.name === machine.field);
  const enumObject = field?.getType();
  if (!enumObject || typeof enumObject !== 'object') throw new Error(`${def.typeName}.${machine.field}: its state field is no GraphQL enum`);
  const mutation = (action: string) => `\`${action}${def.typeName}\``;
  const list = (items: string[]) => items.join(', ');
  const notes: Record<string, string> = {};
  for (const state of machine.states) {
    const reachedBy = def.actions.filter((a) => a.to?.includes(state)).map((a) => mutation(a.name));
    const reachedWhen = (machine.moves ?? []).filter((m) => m.to === state).map((m) => `when ${m.when}`);
    const from = def.actions.filter((a) => !a.from || a.from.includes(state)).map((a) => mutation(a.name));
    const leaves = (machine.moves ?? []).filter((m) => m.from.includes(state)).map((m) => `to ${m.to} when ${m.when}`);
    const reached = reachedBy.length ? [`by ${list(reachedBy)}`, ...reachedWhen] : reachedWhen;
    notes[state] = [
      state === machine.initial ? `A new ${def.typeName} starts here.` : '',
      reached.length ? `Reached ${reached.join(', or ')}.` : '',
      from.length ? `From here: ${list(from)}.` : '',
      leaves.length ? `It moves ${list(leaves)}.` : '',
      def.frozenIn.includes(state) ? `Final: the ${def.singular} and what depends on it are read-only (409).` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  noteEnumValues(enumObject, notes);
}

/**
 * The bytes of a graphql-upload file as they arrive (graphql-upload spools them to a temporary file,
 * never to memory), its refusals in domain terms: over the limit is 413, a sender gone is 400.
 */
async function* uploadedBytes(upload: FileUpload): AsyncIterable<Buffer> {
  try {
    for await (const chunk of upload.createReadStream()) yield chunk as Buffer;
  } catch (err) {
    if ((err as { status?: number }).status === 413) throw new PayloadTooLargeError((err as Error).message);
    throw new BadRequestError('The upload ended before the whole file arrived');
  }
}

/** Rules of the kit's own types, reachable only through fields (and entity lookups) that are themselves guarded. */
export const KIT_RULES: RuleSpec = {
  HistoryEntry: { '*': 'member' },
  HistoryEntryPage: { '*': 'member' },
  // Where a page ends: reached only through a guarded page.
  PageInfo: { '*': 'member' },
  // A value object (an address) is read only through the guarded field of its record.
  Address: { '*': 'member' },
  // A person by id: the id is the text field beside it, under that field's rule.
  User: { '*': 'member' },
};

let kit: FamilyGraph | undefined;

/** The GraphQL side of the kit's own types: a history entry found by id. Made once. */
export function kitGraph(): FamilyGraph {
  kit ??= {
    // Who caused an entry, as a User other subgraphs add a name to (beside the text `actorId`).
    resolvers: [userFieldsResolver(DomainEvent, 'HistoryEntry', { actorId: 'actor' })],
    rules: KIT_RULES,
    references: { HistoryEntry: historyEntryReference },
  };
  return kit;
}

/**
 * A history entry through `_entities`: what the record's `history` field would show, so only an
 * entry of a family that has a history, under that family's view permission, in the caller's company.
 */
const historyEntryReference: FamilyGraph['references'][string] = {
  async __resolveReference(ref, ctx) {
    if (typeof ref.id !== 'string') return null;
    const entry = await ctx.scope
      .loader<string, DomainEvent | null>('historyEntryById', async (ids) => {
        const rows = await ctx.scope.repo(DomainEvent).findByIds(ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      })
      .load(ref.id);
    const family = entry ? ctx.scope.composition.familyByTypeName(entry.entityType) : null;
    if (!family?.history) return null;
    ctx.caller.require(family.can.view);
    return entry;
  },
};

function relationMember(relation: RelationDef): { resolver: ClassType; rules: RuleSpec } {
  const TargetPage = pageType(relation.target, relation.target.name);
  const member: MemberDef =
    relation.kind === 'belongsToMany'
      ? {
          kind: 'field',
          name: relation.field,
          returns: () => [relation.target],
          maxItems: relation.maxItems,
          nullable: true,
          description: relation.description ?? `The ${relation.target.name} records \`${relation.keys}\` lists, in its order.`,
          args: [],
          // One batch for every record of the page; an id whose record is gone is left out.
          resolve: async (row: Record<string, unknown>, _args, ctx, info) => {
            const found = await ctx.scope.byId(relation.target, selectedColumns(info, relation.target, false)).loadMany((row[relation.keys] as string[] | null) ?? []);
            return found.filter((r) => r !== null && !(r instanceof Error));
          },
        }
      : relation.kind === 'belongsTo'
      ? {
          kind: 'field',
          name: relation.field,
          returns: () => relation.target,
          // nullable: a denied field is null with FORBIDDEN on its path, the rest still arrives
          nullable: true,
          description: relation.description ?? `The ${relation.target.name} \`${relation.key}\` names; null when it names none.`,
          args: [],
          resolve: (row: Record<string, unknown>, _args, ctx, info) => {
            const id = row[relation.key] as string | null;
            return id ? ctx.scope.byId(relation.target, selectedColumns(info, relation.target, false)).load(id) : null;
          },
        }
      : {
          kind: 'field',
          name: relation.field,
          returns: () => TargetPage,
          nullable: true,
          description: relation.description ?? `The ${relation.target.name} records whose \`${relation.foreignKey}\` is this record, a page at a time.`,
          args: PAGING_ARGS,
          resolve: (row: TenantEntity, args, ctx, info) =>
            ctx.scope
              .pagedManyBy(relation.target, relation.foreignKey as never, parsePaging(args, 'graphql'), relation.order, selectedColumns(info, relation.target, true, [relation.foreignKey]))
              .load(row.id),
        };
  registerRelation(relation);
  return {
    resolver: buildResolver(`${relation.source.name}${pascal(relation.field)}Resolver`, () => relation.source, [member]),
    rules: {
      [relation.source.name]: { [relation.field]: relation.requirement },
      ...(relation.kind === 'hasMany' ? { [`${relation.target.name}Page`]: { '*': relation.requirement } } : {}),
    },
  };
}

/** Federation entity lookup, checked per type exactly like a direct query. */
function reference<E extends TenantEntity>(def: FamilyDef<E>, service: FamilyService<E>) {
  return {
    // async: a refusal must reject this one representation, not throw out of @apollo/subgraph's
    // synchronous map over all of them (which would null the whole `_entities` list).
    async __resolveReference(ref: { id?: unknown }, ctx: RequestContext) {
      ctx.caller.require(def.can.view);
      return typeof ref.id === 'string' ? service.find(ctx.scope, ref.id) : null;
    },
  };
}
