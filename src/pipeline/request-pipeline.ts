import type { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { Config } from "../config";
import { createErrorFormatter } from "../shared/format-error";
import { rejectNulCharacters, rejectSubscriptionOverHttp } from "../shared/input-guard";
import { checkOperation, checkSource } from "../shared/query-limits";
import { createDocumentChecker, validationRules } from "./documents";

/** What the pipeline's checks depend on: a limit added here holds on HTTP and WebSocket alike. */
export type PipelineConfig = Pick<Config, "queryLimits" | "introspection" | "production">;

export type Transport = "http" | "websocket";

export interface OperationRequest {
  transport: Transport;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Every check a GraphQL request passes, in the order it passes them, whichever
 * transport brought it: HTTP (http-handler.ts calls the source stage, Apollo
 * the others through apollo-plugin.ts) and graphql-ws (websocket.ts calls each
 * stage itself). A new check goes into one of these stages and holds on both.
 */
export interface RequestPipeline {
  readonly schema: GraphQLSchema;
  readonly config: PipelineConfig;
  /**
   * Stage 1, on the raw text before anything parses it: length, tokens,
   * selections per set, fragment expansions (parsing and validation cost is
   * what these bound). Throws QUERY_TOO_COMPLEX.
   */
  checkSource(query: string): void;
  /**
   * Stage 2 for graphql-ws: stage 1, then parse and validate with the
   * pipeline's rules (introspection off when configured), memoised per text.
   * Apollo parses and validates HTTP requests itself, told the same by
   * apolloOptions().
   */
  document(query: string): DocumentNode | readonly GraphQLError[];
  /**
   * Stage 3, once the operation is known and before any resolver runs:
   * subscriptions refused over HTTP, depth, complexity, aliases and directives
   * (QUERY_TOO_COMPLEX), then the input guards (BAD_USER_INPUT).
   */
  checkOperation(request: OperationRequest): void;
  /** Stage 4, every error that leaves the server: client errors as they are, the rest masked. */
  readonly formatError: ErrorFormatter;
  maskErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[];
}

export interface PipelineDeps {
  logger: Logger;
  /** Counts each error by code (metrics). */
  countError?: (code: string) => void;
}

export function createRequestPipeline(
  schema: GraphQLSchema,
  config: PipelineConfig,
  deps: PipelineDeps,
): RequestPipeline {
  // Production hides schema suggestions ("Did you mean ...?") on every transport.
  const formatError = createErrorFormatter(deps.logger, deps.countError, config.production);
  const source = (query: string) => checkSource(query, config.queryLimits);
  const document = createDocumentChecker(schema, validationRules(config), source);
  return {
    schema,
    config,
    checkSource: source,
    document,
    checkOperation({ transport, document, operationName, variables }) {
      if (transport === "http") rejectSubscriptionOverHttp(document, operationName);
      checkOperation(schema, document, operationName, variables, config.queryLimits);
      rejectNulCharacters(document, variables);
    },
    formatError,
    maskErrors: (errors) => errors.map((e) => formatError(e.toJSON(), e)),
  };
}
