import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { AppError } from "../shared/errors";
import type { PipelineConfig } from "./request-pipeline";

/** Documents kept parsed and validated (the oldest goes first). */
const MEMO_SIZE = 1000;

/** The validation rules of graphql-ws requests; Apollo applies its own equivalent for HTTP (apolloOptions). */
export const validationRules = (config: Pick<PipelineConfig, "introspection">): readonly ValidationRule[] =>
  config.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code },
  });

/**
 * Source checks, parse and validation of a query text, with the codes Apollo
 * gives the same failures over HTTP. Widgets send the same few subscription
 * documents thousands of times: each is parsed and validated once.
 */
export function createDocumentChecker(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  checkSource: (query: string) => void,
): (query: string) => DocumentNode | readonly GraphQLError[] {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  return (query) => {
    let checked = documents.get(query);
    if (checked) return checked;
    try {
      checkSource(query);
      const document = parse(query);
      const errors = validate(schema, document, rules);
      checked = errors.length
        ? errors.map((e) => (e.extensions.code ? e : withCode(e, "GRAPHQL_VALIDATION_FAILED")))
        : document;
    } catch (error) {
      if (error instanceof AppError) return [error];
      if (error instanceof GraphQLError) return [withCode(error, "GRAPHQL_PARSE_FAILED")];
      throw error;
    }
    if (documents.size >= MEMO_SIZE) documents.delete(documents.keys().next().value!);
    documents.set(query, checked);
    return checked;
  };
}
