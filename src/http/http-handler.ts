import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { Config } from "../config";
import { Context, createContext } from "../context";
import { graphiqlAsset, graphiqlHtml } from "../graphiql";
import type { Services } from "../modules/services";
import { AppError } from "../shared/errors";
import { Metrics } from "../shared/metrics";
import { checkSource } from "../shared/query-limits";
import { RequestScope, requestScope } from "../shared/request-scope";
import { HttpError, readBody, sendJson } from "./body";
import { clientIp } from "./client-ip";
import { widgetRoute } from "../widget/widget-routes";

export interface HttpHandlerDeps {
  apollo: ApolloServer<Context>;
  services: Services;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Whether the service can answer (the database); checks also report a degraded Redis. */
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
}

/**
 * Every HTTP route: /graphql (GraphQL over HTTP through Apollo, or GraphiQL
 * for a browser), GraphiQL's assets, /healthz, /readyz and /metrics. Each
 * request gets an id (X-Request-Id) and one structured log line.
 */
export function createHttpHandler(deps: HttpHandlerDeps) {
  const { apollo, services, config, logger, metrics, formatError } = deps;

  /**
   * CORS for pages on other origins (the widget on a newsroom's own site). No cookies are ever used,
   * so allowing an origin grants it nothing but what any HTTP client can already do.
   */
  const cors = (req: IncomingMessage, res: ServerResponse): "preflight" | void => {
    const origin = req.headers.origin;
    if (!origin) return;
    const allowed = config.corsOrigins === "*" || config.corsOrigins.includes(origin.toLowerCase());
    if (!allowed) return;
    res.setHeader("access-control-allow-origin", config.corsOrigins === "*" ? "*" : origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-expose-headers", "x-request-id, x-cache");
    if (req.method !== "OPTIONS") return;
    res.writeHead(204, {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, authorization, x-request-id, apollo-require-preflight",
      "access-control-max-age": "600",
    });
    res.end();
    return "preflight";
  };

  // Readers' requests are small; writers' may carry a 200,000-character article (the token is checked later).
  const bodyLimit = (headers: HeaderMap) =>
    headers.get("authorization")
      ? Math.max(config.maxBodyBytes, config.maxBodyBytesAuthenticated)
      : config.maxBodyBytes;

  const graphql = async (req: IncomingMessage, res: ServerResponse, url: URL, scope: RequestScope) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    // CSRF prevention: anything that can write arrives as POST with a JSON body, which a browser
    // never sends cross-site without a CORS preflight; GET runs queries only (405 for mutations).
    if (req.method === "POST" && !/^application\/json\b/i.test(headers.get("content-type") ?? "")) {
      req.resume();
      throw new HttpError(415, "POST /graphql needs Content-Type: application/json");
    }
    const body =
      req.method === "POST" ? await readBody(req, bodyLimit(headers), headers.get("content-type")) : undefined;
    const query =
      req.method === "POST" ? (body as { query?: unknown } | undefined)?.query : url.searchParams.get("query");
    if (typeof query === "string") {
      try {
        checkSource(query, config.queryLimits);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return sendJson(res, 400, { errors: [formatError(error.toJSON(), error)] });
      }
    }
    const request: HTTPGraphQLRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      headers,
      search: url.search,
      body,
    };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: () =>
        createContext(services, {
          authorization: headers.get("authorization"),
          requestId: scope.requestId,
          clientIp: clientIp(req, config.trustProxy),
          loaderOptions: { batch: config.dataloaders },
        }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, scope: RequestScope): Promise<void> => {
    switch (url.pathname) {
      case "/graphql":
        if (cors(req, res) === "preflight") return;
        if (
          req.method === "GET" &&
          !url.searchParams.has("query") &&
          (req.headers.accept ?? "").includes("text/html")
        ) {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
          res.end(graphiqlHtml());
          return;
        }
        scope.graphql = true;
        return graphql(req, res, url, scope);
      case "/healthz":
        return sendJson(res, 200, { status: "ok" }, { "cache-control": "no-store" });
      case "/readyz": {
        const { ok, checks } = await deps.ready();
        return sendJson(
          res,
          ok ? 200 : 503,
          { status: ok ? "ready" : "unavailable", ...checks },
          { "cache-control": "no-store" },
        );
      }
      case "/metrics":
        res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
        res.end(await metrics.registry.metrics());
        return;
      case "/":
        res.writeHead(302, { location: "/graphql" });
        res.end();
        return;
    }
    const widget = await widgetRoute(url.pathname, services);
    if (widget) {
      res.writeHead(widget.status, { "content-type": widget.type, "cache-control": widget.cacheControl ?? "no-cache" });
      res.end(widget.body);
      return;
    }
    if (url.pathname.startsWith("/graphiql/")) {
      const asset = graphiqlAsset(url.pathname.slice("/graphiql/".length));
      if (asset) {
        res.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=86400" });
        res.end(asset.body);
        return;
      }
    }
    throw new HttpError(404, "Not found");
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incoming = req.headers["x-request-id"];
    const scope: RequestScope = {
      requestId: typeof incoming === "string" && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID(),
    };
    res.setHeader("x-request-id", scope.requestId);
    const url = new URL(req.url ?? "/", "http://localhost");
    const started = process.hrtime.bigint();
    try {
      await requestScope.run(scope, () => route(req, res, url, scope));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error({ err: error, requestId: scope.requestId }, "request failed");
      if (!res.headersSent) {
        const code = status === 500 ? "INTERNAL_SERVER_ERROR" : status === 404 ? "NOT_FOUND" : "BAD_REQUEST";
        const message = error instanceof HttpError ? error.message : "Internal server error";
        sendJson(res, status, { errors: [{ message, extensions: { code, requestId: scope.requestId } }] });
      } else res.end();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (scope.graphql) {
        const operation = metrics.operationLabel(scope.operationName);
        metrics.requests.inc({ operation, status: String(res.statusCode) });
        metrics.latency.observe({ operation }, seconds);
      }
      logger.info(
        {
          requestId: scope.requestId,
          method: req.method,
          path: url.pathname,
          operationName: scope.operationName,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e4) / 10,
        },
        "request",
      );
    }
  };
}
