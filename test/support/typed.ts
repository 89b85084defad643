import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Answer, CallOptions, GqlError, TestBase } from './harness';

/** Run a generated, typed operation (test/generated/graphql.ts) against the test Base. */
export function op<R, V extends Record<string, unknown>>(
  base: TestBase,
  document: TypedDocumentNode<R, V>,
  variables: V,
  options: CallOptions = {},
): Promise<Answer<{ data?: R; errors?: GqlError[] }>> {
  return base.gql<R>(print(document), variables, options);
}
