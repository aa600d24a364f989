import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer, HTTPGraphQLRequest } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { Logger } from "pino";
import type { ResponseCache } from "../cache/response-cache";
import type { Config } from "../config";
import type { Context } from "../context";
import { createContext } from "../context";
import { GRAPHIQL_CSP, graphiqlAsset, graphiqlHtml } from "../graphiql";
import type { Services } from "../modules/services";
import { AppError } from "../shared/errors";
import type { Metrics } from "../shared/metrics";
import type { RequestScope } from "../shared/request-scope";
import { requestScope } from "../shared/request-scope";
import type { RequestPipeline } from "../pipeline/request-pipeline";
import { HttpError, readBody, sendJson } from "./body";
import { clientIp } from "./client-ip";
import { isWidgetPath, widgetRoute } from "../widget/widget-routes";
import { syndicationRoute } from "../modules/syndication/syndication.routes";
import { isPreviewPath, previewPage } from "../widget/preview-page";
import { imageRoute, isImagePath } from "../modules/image/image.routes";
import { addVary, methodNotAllowed, requestUrl, setSecurityHeaders } from "./web-security";

export interface HttpHandlerDeps {
  apollo: ApolloServer<Context>;
  services: Services;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The request checks; Apollo runs the later stages (apollo-plugin.ts), this handler the source stage. */
  pipeline: RequestPipeline;
  /** Answers a stored anonymous query before Apollo parses it (src/cache/response-cache.ts). */
  responseCache: Pick<ResponseCache, "answer">;
  /** With read replicas: whether a client's own write is not yet on its replica (it gets no cached copy). */
  awaitsOwnWrite?: (clientIp: string) => boolean;
  /** Whether the service can answer (the database); checks also report a degraded Redis. */
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
}

/**
 * Every HTTP route: /graphql (GraphQL over HTTP through Apollo, or GraphiQL
 * for a browser), GraphiQL's assets, the widget, /healthz, /readyz and
 * /metrics (on its own listener when METRICS_PORT is set: `metricsHandler`).
 * Each request gets an id (X-Request-Id), the security headers and one
 * structured log line; a path no route knows is 404, a method it does not
 * answer 405 with Allow.
 */
const GRAPHQL_METHODS = "GET, HEAD, POST, OPTIONS";
const PAGE_METHODS = "GET, HEAD";

export function createHttpHandler(deps: HttpHandlerDeps) {
  const { apollo, services, config, logger, metrics, pipeline } = deps;
  const imageDeps = { image: services.image, auth: services.auth, maxBytes: config.images.maxBytes };

  /**
   * CORS for pages on other origins (the widget on a newsroom's own site). No cookies are ever used,
   * so allowing an origin grants it nothing but what any HTTP client can already do. With a list of
   * origins every answer depends on the Origin header, so it says Vary: Origin (a CDN must not hand
   * the allowed site a copy made without its CORS header); with "*" every answer is the same.
   * A preflight from an origin not on the list is refused with 403 and no allow header at all.
   */
  const cors = (req: IncomingMessage, res: ServerResponse): "answered" | void => {
    const origin = req.headers.origin;
    const any = config.corsOrigins === "*";
    if (!any) addVary(res, "Origin");
    const allowed = origin !== undefined && (any || config.corsOrigins.includes(origin.toLowerCase()));
    if (allowed || (any && !origin)) {
      res.setHeader("access-control-allow-origin", any ? "*" : origin!);
      res.setHeader("access-control-expose-headers", "x-request-id, x-cache");
    }
    if (req.method !== "OPTIONS") return;
    if (!origin || !req.headers["access-control-request-method"]) {
      res.writeHead(204, { allow: GRAPHQL_METHODS });
      res.end();
      return "answered";
    }
    if (!allowed) throw new HttpError(403, "This origin may not call /graphql from a browser (CORS_ORIGINS)");
    res.writeHead(204, {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, authorization, x-request-id, apollo-require-preflight",
      "access-control-max-age": "600",
    });
    res.end();
    return "answered";
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
    // The source stage runs before Apollo parses anything.
    if (typeof query === "string") {
      try {
        pipeline.checkSource(query);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return sendJson(res, 400, { errors: pipeline.maskErrors([error]) });
      }
    }
    const stored = await storedAnswer(req, url, headers, body);
    if (stored) {
      scope.operationName = stored.operationName;
      res.writeHead(200, {
        "cache-control": stored.cacheControl,
        "x-cache": "HIT",
        "content-type": stored.contentType,
      });
      res.end(req.method === "HEAD" ? undefined : stored.body);
      return;
    }
    const request: HTTPGraphQLRequest = {
      // HEAD is answered as GET would be (Node sends no body for it).
      method: req.method === "HEAD" ? "GET" : (req.method ?? "GET"),
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
    for (const [key, value] of response.headers) {
      if (key === "vary") addVary(res, value);
      else res.setHeader(key, value);
    }
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  /** A cache hit, found from the raw request; null when Apollo must run it (including every malformed request). */
  const storedAnswer = (req: IncomingMessage, url: URL, headers: HeaderMap, body: unknown) => {
    let fields: Record<string, unknown>;
    if (req.method === "POST") {
      if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
      fields = body as Record<string, unknown>;
    } else {
      const { searchParams } = url;
      const variables = searchParams.get("variables");
      let parsed: unknown;
      try {
        parsed = variables === null ? undefined : JSON.parse(variables);
      } catch {
        return null;
      }
      fields = {
        query: searchParams.get("query") ?? undefined,
        operationName: searchParams.get("operationName") ?? undefined,
        variables: parsed,
        extensions: searchParams.get("extensions") ?? undefined,
      };
    }
    return deps.responseCache.answer({
      authorization: headers.get("authorization"),
      fresh: deps.awaitsOwnWrite?.(clientIp(req, config.trustProxy)) ?? false,
      accept: headers.get("accept"),
      query: fields.query,
      operationName: fields.operationName,
      variables: fields.variables,
      extensions: fields.extensions,
    });
  };

  const page = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers = {}) => {
    res.writeHead(status, { "content-type": type, ...headers });
    res.end(body);
  };

  const route: Route = async (req, res, url, scope) => {
    const { pathname } = url;
    if (pathname === "/graphql") {
      if (!["GET", "HEAD", "POST", "OPTIONS"].includes(req.method!)) throw methodNotAllowed(req, res, GRAPHQL_METHODS);
      if (cors(req, res) === "answered") return;
      if (req.method !== "POST" && !url.searchParams.has("query") && (req.headers.accept ?? "").includes("text/html")) {
        return page(res, 200, "text/html; charset=utf-8", graphiqlHtml(), {
          "cache-control": "no-cache",
          "content-security-policy": GRAPHIQL_CSP,
        });
      }
      scope.graphql = true;
      return graphql(req, res, url, scope);
    }
    if (await syndicationRoute(req, res, pathname, services.syndication)) return;
    if (isImagePath(pathname)) return imageRoute(req, res, pathname, scope.requestId, imageDeps);
    const known =
      ["/healthz", "/readyz", "/"].includes(pathname) ||
      (pathname === "/metrics" && config.metricsPort === undefined) ||
      pathname.startsWith("/graphiql/") ||
      isWidgetPath(pathname) ||
      isPreviewPath(pathname);
    if (!known) throw new HttpError(404, "Not found");
    if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed(req, res, PAGE_METHODS);
    switch (pathname) {
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
        return sendMetrics(res);
      case "/":
        res.writeHead(302, { location: "/graphql" });
        res.end();
        return;
    }
    const preview = isPreviewPath(pathname) ? await previewPage(pathname, services) : null;
    if (preview) return page(res, preview.status, "text/html; charset=utf-8", preview.body, preview.headers);
    const widget = await widgetRoute(pathname, services);
    if (widget) {
      return page(res, widget.status, widget.type, widget.body, {
        "cache-control": widget.cacheControl ?? "no-cache",
        ...(widget.csp ? { "content-security-policy": widget.csp } : {}),
        ...(widget.crossOrigin ? { "cross-origin-resource-policy": "cross-origin" } : {}),
      });
    }
    const asset = pathname.startsWith("/graphiql/") ? graphiqlAsset(pathname.slice("/graphiql/".length)) : undefined;
    if (asset) return page(res, 200, asset.type, asset.body, { "cache-control": "public, max-age=86400" });
    throw new HttpError(404, "Not found");
  };

  const sendMetrics = async (res: ServerResponse) => {
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(await metrics.registry.metrics());
  };

  /** The listener on METRICS_PORT: /metrics and nothing else. */
  const metricsRoute: Route = async (req, res, url) => {
    if (url.pathname !== "/metrics") throw new HttpError(404, "Not found");
    if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed(req, res, PAGE_METHODS);
    return sendMetrics(res);
  };

  return { handler: serve(route), metricsHandler: serve(metricsRoute) };

  /** A route wrapped with what every response gets: a request id, security headers, errors as JSON, a log line. */
  function serve(handle: Route) {
    return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const incoming = req.headers["x-request-id"];
      const scope: RequestScope = {
        requestId: typeof incoming === "string" && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID(),
      };
      res.setHeader("x-request-id", scope.requestId);
      setSecurityHeaders(res);
      let path = req.url;
      const started = process.hrtime.bigint();
      try {
        const url = requestUrl(req.url);
        path = url.pathname;
        await requestScope.run(scope, () => handle(req, res, url, scope));
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 500) logger.error({ err: error, requestId: scope.requestId }, "request failed");
        if (!res.headersSent) {
          const code = ERROR_CODES[status] ?? "BAD_REQUEST";
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
            path,
            operationName: scope.operationName,
            status: res.statusCode,
            durationMs: Math.round(seconds * 1e4) / 10,
          },
          "request",
        );
      }
    };
  }
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, scope: RequestScope) => Promise<void>;

const ERROR_CODES: Record<number, string> = { 403: "FORBIDDEN", 404: "NOT_FOUND", 500: "INTERNAL_SERVER_ERROR" };
