/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
  _Any: { input: unknown; output: unknown; }
  federation__FieldSet: { input: string; output: string; }
  link__Import: { input: string; output: string; }
};

export type Address = {
  __typename?: 'Address';
  city?: Maybe<Scalars['String']['output']>;
  /** ISO-3166 alpha-2 country code. */
  country?: Maybe<Scalars['String']['output']>;
  line1?: Maybe<Scalars['String']['output']>;
  line2?: Maybe<Scalars['String']['output']>;
  postalCode?: Maybe<Scalars['String']['output']>;
  region?: Maybe<Scalars['String']['output']>;
};

export type AddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  line1?: InputMaybe<Scalars['String']['input']>;
  line2?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  region?: InputMaybe<Scalars['String']['input']>;
};

/** A booking agency that represents artists. */
export type Agency = {
  __typename?: 'Agency';
  /** Artists this agency represents. */
  artists: Array<Artist>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The Auth user id (token `sub`) that created the record. */
  createdBy: Scalars['String']['output'];
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Business key, unique within the company (a-z, 0-9, dashes). */
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Send it back on update: a stale version is a conflict. */
  version: Scalars['Int']['output'];
  website?: Maybe<Scalars['String']['output']>;
};

export type AgencyCreateInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  name: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

export type AgencyFilter = {
  /** Text contained in the name or key */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** A page of Agency records. */
export type AgencyPage = {
  __typename?: 'AgencyPage';
  items: Array<Agency>;
  limit: Scalars['Int']['output'];
  page: Scalars['Int']['output'];
  /** All records matching the filter, over every page. */
  total: Scalars['Int']['output'];
};

export type AgencyUpdateInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  key?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: InputMaybe<Scalars['Int']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

/** A performing artist or act. */
export type Artist = {
  __typename?: 'Artist';
  agency?: Maybe<Agency>;
  /** The agency that represents the artist. */
  agencyId?: Maybe<Scalars['ID']['output']>;
  city?: Maybe<Scalars['String']['output']>;
  /** ISO-3166 alpha-2 country code. */
  country?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The Auth user id (token `sub`) that created the record. */
  createdBy: Scalars['String']['output'];
  /** ISO-4217 currency of the money fields (the company default when not given). */
  currency: Scalars['String']['output'];
  /** Usual fee, in minor units of `currency`. */
  defaultFee?: Maybe<Scalars['SafeInt']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  genres: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Send it back on update: a stale version is a conflict. */
  version: Scalars['Int']['output'];
  website?: Maybe<Scalars['String']['output']>;
};

export type ArtistCreateInput = {
  /** An agency of this company. */
  agencyId?: InputMaybe<Scalars['ID']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  currency?: InputMaybe<Scalars['String']['input']>;
  defaultFee?: InputMaybe<Scalars['SafeInt']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  genres?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

export type ArtistFilter = {
  agencyId?: InputMaybe<Scalars['ID']['input']>;
  /** Artists with this genre */
  genre?: InputMaybe<Scalars['String']['input']>;
  /** Text contained in the name */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** A page of Artist records. */
export type ArtistPage = {
  __typename?: 'ArtistPage';
  items: Array<Artist>;
  limit: Scalars['Int']['output'];
  page: Scalars['Int']['output'];
  /** All records matching the filter, over every page. */
  total: Scalars['Int']['output'];
};

export type ArtistUpdateInput = {
  /** An agency of this company. */
  agencyId?: InputMaybe<Scalars['ID']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  currency?: InputMaybe<Scalars['String']['input']>;
  defaultFee?: InputMaybe<Scalars['SafeInt']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  genres?: InputMaybe<Array<Scalars['String']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: InputMaybe<Scalars['Int']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

/** Business metadata of the current company (identity and members live in Auth). */
export type Company = {
  __typename?: 'Company';
  address?: Maybe<Address>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The Auth user id (token `sub`) that created the record. */
  createdBy: Scalars['String']['output'];
  /** Default ISO-4217 currency of new money records. */
  currency: Scalars['String']['output'];
  displayName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  legalName?: Maybe<Scalars['String']['output']>;
  logoFileId?: Maybe<Scalars['String']['output']>;
  taxNumber?: Maybe<Scalars['String']['output']>;
  /** IANA time zone. */
  timezone: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Send it back on update: a stale version is a conflict. */
  version: Scalars['Int']['output'];
};

export type CompanyUpdateInput = {
  address?: InputMaybe<AddressInput>;
  currency?: InputMaybe<Scalars['String']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  legalName?: InputMaybe<Scalars['String']['input']>;
  logoFileId?: InputMaybe<Scalars['ID']['input']>;
  taxNumber?: InputMaybe<Scalars['String']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createAgency: Agency;
  createArtist: Artist;
  createVendor: Vendor;
  createVenue: Venue;
  /** Returns the id of the deleted record. */
  deleteAgency: Scalars['ID']['output'];
  /** Returns the id of the deleted record. */
  deleteArtist: Scalars['ID']['output'];
  /** Returns the id of the deleted record. */
  deleteVendor: Scalars['ID']['output'];
  /** Returns the id of the deleted record. */
  deleteVenue: Scalars['ID']['output'];
  /** Changes only the fields sent. */
  updateAgency: Agency;
  /** Changes only the fields sent. */
  updateArtist: Artist;
  /** Changes only the fields sent. */
  updateCompany: Company;
  /** Changes only the fields sent. */
  updateVendor: Vendor;
  /** Changes only the fields sent. */
  updateVenue: Venue;
};


export type MutationCreateAgencyArgs = {
  input: AgencyCreateInput;
};


export type MutationCreateArtistArgs = {
  input: ArtistCreateInput;
};


export type MutationCreateVendorArgs = {
  input: VendorCreateInput;
};


export type MutationCreateVenueArgs = {
  input: VenueCreateInput;
};


export type MutationDeleteAgencyArgs = {
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteArtistArgs = {
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteVendorArgs = {
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteVenueArgs = {
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationUpdateAgencyArgs = {
  id: Scalars['ID']['input'];
  input: AgencyUpdateInput;
};


export type MutationUpdateArtistArgs = {
  id: Scalars['ID']['input'];
  input: ArtistUpdateInput;
};


export type MutationUpdateCompanyArgs = {
  input: CompanyUpdateInput;
};


export type MutationUpdateVendorArgs = {
  id: Scalars['ID']['input'];
  input: VendorUpdateInput;
};


export type MutationUpdateVenueArgs = {
  id: Scalars['ID']['input'];
  input: VenueUpdateInput;
};

export type Query = {
  __typename?: 'Query';
  _entities: Array<Maybe<_Entity>>;
  _service: _Service;
  agencies: AgencyPage;
  /** One Agency by id; null when absent. */
  agency?: Maybe<Agency>;
  /** One Artist by id; null when absent. */
  artist?: Maybe<Artist>;
  artists: ArtistPage;
  /** The business metadata of the x-org company (made with defaults on first read). */
  company: Company;
  /** One Vendor by id; null when absent. */
  vendor?: Maybe<Vendor>;
  vendors: VendorPage;
  /** One Venue by id; null when absent. */
  venue?: Maybe<Venue>;
  venues: VenuePage;
};


export type Query_EntitiesArgs = {
  representations: Array<Scalars['_Any']['input']>;
};


export type QueryAgenciesArgs = {
  filter?: InputMaybe<AgencyFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAgencyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryArtistArgs = {
  id: Scalars['ID']['input'];
};


export type QueryArtistsArgs = {
  filter?: InputMaybe<ArtistFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryVendorArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVendorsArgs = {
  filter?: InputMaybe<VendorFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryVenueArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVenuesArgs = {
  filter?: InputMaybe<VenueFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
};

/** A supplier of goods or services for events. */
export type Vendor = {
  __typename?: 'Vendor';
  category: VendorCategory;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The Auth user id (token `sub`) that created the record. */
  createdBy: Scalars['String']['output'];
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  taxNumber?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Send it back on update: a stale version is a conflict. */
  version: Scalars['Int']['output'];
};

/** What a vendor supplies. */
export type VendorCategory =
  | 'ACCOMMODATION'
  | 'BACKLINE'
  | 'CATERING'
  | 'LIGHTING'
  | 'MARKETING'
  | 'OTHER'
  | 'SECURITY'
  | 'SOUND'
  | 'STAFFING'
  | 'TRANSPORT';

export type VendorCreateInput = {
  category: VendorCategory;
  email?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  taxNumber?: InputMaybe<Scalars['String']['input']>;
};

export type VendorFilter = {
  category?: InputMaybe<VendorCategory>;
  /** Text contained in the name */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** A page of Vendor records. */
export type VendorPage = {
  __typename?: 'VendorPage';
  items: Array<Vendor>;
  limit: Scalars['Int']['output'];
  page: Scalars['Int']['output'];
  /** All records matching the filter, over every page. */
  total: Scalars['Int']['output'];
};

export type VendorUpdateInput = {
  category?: InputMaybe<VendorCategory>;
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  taxNumber?: InputMaybe<Scalars['String']['input']>;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

/** A place where events happen. */
export type Venue = {
  __typename?: 'Venue';
  address?: Maybe<Address>;
  /** Licensed capacity (> 0). */
  capacity?: Maybe<Scalars['Int']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The Auth user id (token `sub`) that created the record. */
  createdBy: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  /** IANA time zone of the venue (the company default when not given). */
  timezone: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Send it back on update: a stale version is a conflict. */
  version: Scalars['Int']['output'];
};

export type VenueCreateInput = {
  address?: InputMaybe<AddressInput>;
  capacity?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
};

export type VenueFilter = {
  /** The city of the address (case-insensitive) */
  city?: InputMaybe<Scalars['String']['input']>;
  /** Text contained in the name */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** A page of Venue records. */
export type VenuePage = {
  __typename?: 'VenuePage';
  items: Array<Venue>;
  limit: Scalars['Int']['output'];
  page: Scalars['Int']['output'];
  /** All records matching the filter, over every page. */
  total: Scalars['Int']['output'];
};

export type VenueUpdateInput = {
  address?: InputMaybe<AddressInput>;
  capacity?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

export type _Entity = Agency | Artist | Company | Vendor | Venue;

export type _Service = {
  __typename?: '_Service';
  sdl?: Maybe<Scalars['String']['output']>;
};

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

export type AgencyCreateInput = {
  email?: string | null | undefined;
  key: string;
  name: string;
  notes?: string | null | undefined;
  phone?: string | null | undefined;
  website?: string | null | undefined;
};

export type AgencyFilter = {
  /** Text contained in the name or key */
  q?: string | null | undefined;
};

export type AgencyUpdateInput = {
  email?: string | null | undefined;
  key?: string | null | undefined;
  name?: string | null | undefined;
  notes?: string | null | undefined;
  phone?: string | null | undefined;
  /** The version you read; if the record has changed since, the update is refused. */
  version?: number | null | undefined;
  website?: string | null | undefined;
};

export type ArtistCreateInput = {
  /** An agency of this company. */
  agencyId?: string | number | null | undefined;
  city?: string | null | undefined;
  country?: string | null | undefined;
  currency?: string | null | undefined;
  defaultFee?: number | null | undefined;
  email?: string | null | undefined;
  genres?: Array<string> | null | undefined;
  name: string;
  notes?: string | null | undefined;
  phone?: string | null | undefined;
  website?: string | null | undefined;
};

export type ArtistFilter = {
  agencyId?: string | number | null | undefined;
  /** Artists with this genre */
  genre?: string | null | undefined;
  /** Text contained in the name */
  q?: string | null | undefined;
};

/** What a vendor supplies. */
export type VendorCategory =
  | 'ACCOMMODATION'
  | 'BACKLINE'
  | 'CATERING'
  | 'LIGHTING'
  | 'MARKETING'
  | 'OTHER'
  | 'SECURITY'
  | 'SOUND'
  | 'STAFFING'
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


export type AgenciesWithArtistsQuery = { agencies: { items: Array<{ id: string, name: string, artists: Array<{ id: string, name: string }> }> } };

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
    | { __typename: 'Artist', id: string, name: string }
    | { __typename: 'Company' }
    | { __typename: 'Vendor', id: string, name: string, category: VendorCategory }
    | { __typename: 'Venue', id: string, name: string }
   | null> };

export const AgencyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyFieldsFragment, unknown>;
export const AgencyListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"page"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyListQuery, AgencyListQueryVariables>;
export const AgencyByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<AgencyByIdQuery, AgencyByIdQueryVariables>;
export const CreateAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<CreateAgencyMutation, CreateAgencyMutationVariables>;
export const UpdateAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyUpdateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgencyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgencyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]} as unknown as DocumentNode<UpdateAgencyMutation, UpdateAgencyMutationVariables>;
export const DeleteAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAgency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}]}]}}]} as unknown as DocumentNode<DeleteAgencyMutation, DeleteAgencyMutationVariables>;
export const ArtistsWithAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArtistsWithAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ArtistFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artists"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"genres"}},{"kind":"Field","name":{"kind":"Name","value":"defaultFee"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ArtistsWithAgencyQuery, ArtistsWithAgencyQueryVariables>;
export const AgenciesWithArtistsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgenciesWithArtists"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"artists"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AgenciesWithArtistsQuery, AgenciesWithArtistsQueryVariables>;
export const CreateArtistDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateArtist"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ArtistCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createArtist"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"agencyId"}},{"kind":"Field","name":{"kind":"Name","value":"genres"}},{"kind":"Field","name":{"kind":"Name","value":"defaultFee"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CreateArtistMutation, CreateArtistMutationVariables>;
export const CurrentCompanyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentCompany"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]} as unknown as DocumentNode<CurrentCompanyQuery, CurrentCompanyQueryVariables>;
export const EntityLookupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EntityLookup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"representations"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"_Any"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"_entities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"representations"},"value":{"kind":"Variable","name":{"kind":"Name","value":"representations"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Agency"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Artist"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Venue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Vendor"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}}]}}]}}]} as unknown as DocumentNode<EntityLookupQuery, EntityLookupQueryVariables>;