/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The fields of a new Agency (`createAgency`). */
export type AgencyCreateInput = {
  /** The agency's commission on its artists' fees, in basis points 0–10000; a settlement shows it on each payout to one of them. Null: none said. */
  commissionRate?: number | null | undefined;
  /** Where to write to the agency: an email address. */
  email?: string | null | undefined;
  /** Business key, unique within the company: 2–63 characters of a-z, 0-9 and dashes (`wme-london`). */
  key: string;
  /** What the agency is called (at most 200 characters). */
  name: string;
  /** Free text for the company's own use (at most 20,000 characters). */
  notes?: string | null | undefined;
  /** Its phone number as people write it (digits, spaces, + ( ) . / -). */
  phone?: string | null | undefined;
  /** Its website: an http(s) URL. */
  website?: string | null | undefined;
};

/** What narrows a list of Agency records: every filter given must hold; one absent or null narrows nothing. */
export type AgencyFilter = {
  /** Text contained in the name or key */
  q?: string | null | undefined;
};

/** The fields of an Agency to change (`updateAgency`): only those sent change. */
export type AgencyUpdateInput = {
  /** The agency's commission on its artists' fees, in basis points 0–10000; a settlement shows it on each payout to one of them. Null: none said. */
  commissionRate?: number | null | undefined;
  /** Where to write to the agency: an email address. */
  email?: string | null | undefined;
  /** Business key, unique within the company: 2–63 characters of a-z, 0-9 and dashes (`wme-london`). */
  key?: string | null | undefined;
  /** What the agency is called (at most 200 characters). */
  name?: string | null | undefined;
  /** Free text for the company's own use (at most 20,000 characters). */
  notes?: string | null | undefined;
  /** Its phone number as people write it (digits, spaces, + ( ) . / -). */
  phone?: string | null | undefined;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: number | null | undefined;
  /** Its website: an http(s) URL. */
  website?: string | null | undefined;
};

/** The fields of a new Artist (`createArtist`). */
export type ArtistCreateInput = {
  /** The agency that represents the artist: one of this company; null when none does. */
  agencyId?: string | number | null | undefined;
  /** The city the artist is based in (at most 100 characters). */
  city?: string | null | undefined;
  /** Where the artist is based: an ISO-3166 alpha-2 country code (`DE`), kept upper-case. */
  country?: string | null | undefined;
  /** ISO-4217 currency of the money fields (`EUR`); the company's default when not given on create. */
  currency?: string | null | undefined;
  /** The usual fee, in minor units of `currency` (not negative); null when none is agreed. */
  defaultFee?: number | null | undefined;
  /** Where to write to the artist: an email address. */
  email?: string | null | undefined;
  /** Genres the artist plays, each at most 100 characters, at most 50, repeats dropped; empty when none. */
  genres?: Array<string> | null | undefined;
  /** The name the artist performs under (at most 200 characters). */
  name: string;
  /** Free text for the company's own use (at most 20,000 characters). */
  notes?: string | null | undefined;
  /** Their phone number as people write it (digits, spaces, + ( ) . / -). */
  phone?: string | null | undefined;
  /** Their website: an http(s) URL. */
  website?: string | null | undefined;
};

/** What narrows a list of Artist records: every filter given must hold; one absent or null narrows nothing. */
export type ArtistFilter = {
  /** Only records whose `agencyId` is this value. */
  agencyId?: string | number | null | undefined;
  /** Artists with this genre */
  genre?: string | null | undefined;
  /** Text contained in the name */
  q?: string | null | undefined;
};

/** What a vendor supplies. */
export type VendorCategory =
  /** Accommodation. `accommodation` over REST. */
  | 'ACCOMMODATION'
  /** Backline. `backline` over REST. */
  | 'BACKLINE'
  /** Catering. `catering` over REST. */
  | 'CATERING'
  /** Lighting. `lighting` over REST. */
  | 'LIGHTING'
  /** Marketing. `marketing` over REST. */
  | 'MARKETING'
  /** Other. `other` over REST. */
  | 'OTHER'
  /** Security. `security` over REST. */
  | 'SECURITY'
  /** Sound. `sound` over REST. */
  | 'SOUND'
  /** Staffing. `staffing` over REST. */
  | 'STAFFING'
  /** Transport. `transport` over REST. */
  | 'TRANSPORT';

export type AgencyFieldsFragment = { id: string, key: string, name: string, email: string | null, phone: string | null, website: string | null, notes: string | null, version: number, createdBy: string };

export type AgencyListQueryVariables = Exact<{
  filter?: AgencyFilter | null | undefined;
  page?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type AgencyListQuery = { agencies: { total: number, page: number, limit: number, items: Array<{ id: string, key: string, name: string, email: string | null, phone: string | null, website: string | null, notes: string | null, version: number, createdBy: string }> } };

export type AgencyByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type AgencyByIdQuery = { agency: { id: string, key: string, name: string, email: string | null, phone: string | null, website: string | null, notes: string | null, version: number, createdBy: string } | null };

export type CreateAgencyMutationVariables = Exact<{
  input: AgencyCreateInput;
}>;


export type CreateAgencyMutation = { createAgency: { id: string, key: string, name: string, email: string | null, phone: string | null, website: string | null, notes: string | null, version: number, createdBy: string } };

export type UpdateAgencyMutationVariables = Exact<{
  id: string | number;
  input: AgencyUpdateInput;
}>;


export type UpdateAgencyMutation = { updateAgency: { id: string, key: string, name: string, email: string | null, phone: string | null, website: string | null, notes: string | null, version: number, createdBy: string } };

export type DeleteAgencyMutationVariables = Exact<{
  id: string | number;
  version?: number | null | undefined;
}>;


export type DeleteAgencyMutation = { deleteAgency: string };

export type ArtistsWithAgencyQueryVariables = Exact<{
  filter?: ArtistFilter | null | undefined;
  limit?: number | null | undefined;
}>;


export type ArtistsWithAgencyQuery = { artists: { total: number, items: Array<{ id: string, name: string, genres: Array<string>, defaultFee: number | null, currency: string, agency: { id: string, name: string } | null }> } };

export type AgenciesWithArtistsQueryVariables = Exact<{
  limit?: number | null | undefined;
}>;


export type AgenciesWithArtistsQuery = { agencies: { items: Array<{ id: string, name: string, artists: { total: number, items: Array<{ id: string, name: string }> } | null }> } };

export type CreateArtistMutationVariables = Exact<{
  input: ArtistCreateInput;
}>;


export type CreateArtistMutation = { createArtist: { id: string, name: string, agencyId: string | null, genres: Array<string>, defaultFee: number | null, currency: string } };

export type CurrentCompanyQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentCompanyQuery = { company: { id: string, currency: string, timezone: string, displayName: string | null } };

export type EntityLookupQueryVariables = Exact<{
  representations: Array<unknown> | unknown;
}>;


export type EntityLookupQuery = { _entities: Array<
    | { __typename: 'Agency', id: string, name: string }
    | { __typename: 'Agreement' }
    | { __typename: 'AgreementPayment' }
    | { __typename: 'Artist', id: string, name: string }
    | { __typename: 'Avail' }
    | { __typename: 'Company' }
    | { __typename: 'Event' }
    | { __typename: 'Expense' }
    | { __typename: 'File' }
    | { __typename: 'FxRate' }
    | { __typename: 'HistoryEntry' }
    | { __typename: 'Income' }
    | { __typename: 'Notification' }
    | { __typename: 'Offer' }
    | { __typename: 'Task' }
    | { __typename: 'Ticket' }
    | { __typename: 'User' }
    | { __typename: 'Vendor', id: string, name: string, category: VendorCategory }
    | { __typename: 'Venue', id: string, name: string }
    | { __typename: 'Webhook' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'XeroSyncItem' }
   | null> };

export const AgencyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyFieldsFragment, unknown>;
export const AgencyListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"page"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyListQuery, AgencyListQueryVariables>;
export const AgencyByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyByIdQuery, AgencyByIdQueryVariables>;
export const CreateAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<CreateAgencyMutation, CreateAgencyMutationVariables>;
export const UpdateAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyUpdateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<UpdateAgencyMutation, UpdateAgencyMutationVariables>;
export const DeleteAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}]}]}}]} as unknown as DocumentNode<DeleteAgencyMutation, DeleteAgencyMutationVariables>;
export const ArtistsWithAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArtistsWithAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ArtistFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artists"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"genres"}},{"kind":"Field","name":{"kind":"Name","value":"defaultFee"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ArtistsWithAgencyQuery, ArtistsWithAgencyQueryVariables>;
export const AgenciesWithArtistsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgenciesWithArtists"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"artists"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AgenciesWithArtistsQuery, AgenciesWithArtistsQueryVariables>;
export const CreateArtistDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateArtist"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ArtistCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createArtist"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"agencyId"}},{"kind":"Field","name":{"kind":"Name","value":"genres"}},{"kind":"Field","name":{"kind":"Name","value":"defaultFee"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CreateArtistMutation, CreateArtistMutationVariables>;
export const CurrentCompanyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentCompany"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]} as unknown as DocumentNode<CurrentCompanyQuery, CurrentCompanyQueryVariables>;
export const EntityLookupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EntityLookup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"representations"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"_Any"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"_entities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"representations"},"value":{"kind":"Variable","name":{"kind":"Name","value":"representations"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Artist"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Venue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Vendor"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}}]}}]}}]} as unknown as DocumentNode<EntityLookupQuery, EntityLookupQueryVariables>;