import type { ApolloServerOptions, ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";
import { requestScope } from "../shared/request-scope";
import type { RequestPipeline } from "./request-pipeline";

/**
 * What Apollo needs to run HTTP requests through the pipeline: the rules it
 * applies while it parses and validates itself (introspection, schema
 * suggestions), and the pipeline's error formatter.
 */
export function apolloOptions(
  pipeline: RequestPipeline,
): Pick<ApolloServerOptions<Context>, "introspection" | "hideSchemaDetailsFromClientErrors" | "formatError"> {
  return {
    introspection: pipeline.config.introspection,
    hideSchemaDetailsFromClientErrors: pipeline.config.production,
    formatError: pipeline.formatError,
  };
}

/** The pipeline's operation stage inside Apollo: once the operation is known, before any resolver. */
export function pipelinePlugin(pipeline: RequestPipeline): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const scope = requestScope.getStore();
          if (scope) scope.operationName = operationName ?? undefined;
          pipeline.checkOperation({ transport: "http", document, operationName, variables: request.variables });
        },
      };
    },
  };
}
