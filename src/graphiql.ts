import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pageCsp } from "./http/web-security";

/**
 * GraphiQL served from installed packages (no CDN), so it works behind a
 * firewall and with no internet at all.
 */
const pkg = (name: string) => dirname(require.resolve(`${name}/package.json`));

// A Map: an asset name comes from the URL, and must never find an inherited property ("__proto__").
const GRAPHIQL_ASSETS = new Map<string, { file: string; type: string }>([
  ["react.js", { file: join(pkg("react"), "umd/react.production.min.js"), type: "text/javascript" }],
  ["react-dom.js", { file: join(pkg("react-dom"), "umd/react-dom.production.min.js"), type: "text/javascript" }],
  ["graphiql.js", { file: join(pkg("graphiql"), "graphiql.min.js"), type: "text/javascript" }],
  ["graphiql.css", { file: join(pkg("graphiql"), "graphiql.min.css"), type: "text/css" }],
  [
    "graphql-ws.js",
    { file: join(dirname(require.resolve("graphql-ws")), "../umd/graphql-ws.min.js"), type: "text/javascript" },
  ],
]);

const cache = new Map<string, Buffer>();

/** The bytes of one asset, read once. */
export function graphiqlAsset(name: string): { body: Buffer; type: string } | undefined {
  if (name === "graphiql-page.js") return { body: PAGE_SCRIPT, type: "text/javascript; charset=utf-8" };
  const asset = GRAPHIQL_ASSETS.get(name);
  if (!asset) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(asset.file);
    cache.set(name, body);
  }
  return { body, type: asset.type };
}

export const EXAMPLE_QUERY = `# Welcome to newsgraph. This is the front page:
query FrontPage {
  articles(first: 5) {
    nodes {
      title
      standfirst
      publishedAt
      readingTimeMinutes
      authors { name bio }
      topics { slug name }
      relatedArticles(first: 3) { title authors { name } }
      commentCount
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const PAGE_STYLE = "html,body,#graphiql{height:100%;margin:0}";

/**
 * The page's policy: its scripts are all served files (no inline script, no eval). Inline styles are
 * allowed: GraphiQL's dialogs (Radix's scroll lock) inject a <style> whose content is computed (the
 * scrollbar's width), so no hash can name it, and the UMD bundle offers no way to give it a nonce.
 * Styles cannot read the editors' text, and no script runs but the page's own.
 */
export const GRAPHIQL_CSP = pageCsp("any");

/**
 * The page. `defaultHeaders` pre-fills the headers editor (e.g. the demo editor's token); the
 * configuration travels as JSON data (a script element of type application/json never runs).
 */
export function graphiqlHtml(defaultHeaders?: Record<string, string>): string {
  const config = JSON.stringify({
    query: EXAMPLE_QUERY,
    headers: defaultHeaders ? JSON.stringify(defaultHeaders, null, 2) : "",
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsgraph · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>${PAGE_STYLE}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="graphiql-config" type="application/json">${config.replace(/</g, "\\u003c")}</script>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/graphql-ws.js"></script>
<script src="/graphiql/graphiql-page.js"></script>
</body>
</html>`;
}

/**
 * The page's own script, served as /graphiql/graphiql-page.js. Headers (an editor's token) are never
 * stored: GraphiQL saves its tab state and its query history, headers included, to localStorage, so
 * its storage goes through a wrapper that empties every "headers" field and drops the headers entry,
 * and what an earlier version stored is scrubbed the same way on load.
 */
const PAGE_SCRIPT = Buffer.from(`(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("graphiql-config").textContent);
  var endpoint = location.origin + "/graphql";
  var wsEndpoint = endpoint.replace(/^http/, "ws");
  var NEVER_STORED = { "graphiql:headers": true, "graphiql:shouldPersistHeaders": true };
  function scrub(key, value) {
    if (NEVER_STORED[key]) return null;
    if (typeof value !== "string" || value.indexOf('"headers"') < 0) return value;
    try {
      return JSON.stringify(JSON.parse(value), function (k, v) { return k === "headers" ? null : v; });
    } catch (e) {
      return null;
    }
  }
  function ownKeys() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf("graphiql:") === 0) keys.push(key);
    }
    return keys;
  }
  var storage = null;
  try {
    storage = {
      getItem: function (key) {
        var value = localStorage.getItem(key);
        return value === null ? null : scrub(key, value);
      },
      setItem: function (key, value) {
        var kept = scrub(key, value);
        if (kept === null) localStorage.removeItem(key);
        else localStorage.setItem(key, kept);
      },
      removeItem: function (key) { localStorage.removeItem(key); },
      clear: function () { ownKeys().forEach(function (key) { localStorage.removeItem(key); }); },
      get length() { return ownKeys().length; },
    };
    ownKeys().forEach(function (key) { storage.setItem(key, localStorage.getItem(key)); });
  } catch (e) {
    storage = null; // storage disabled: GraphiQL then keeps nothing
  }
  var wsClients = {};
  // One WebSocket per Authorization value, so the headers editor applies to subscriptions too.
  function wsClient(headers) {
    var auth = headers.Authorization || headers.authorization || "";
    if (!wsClients[auth]) {
      wsClients[auth] = graphqlWs.createClient({ url: wsEndpoint, connectionParams: auth ? { authorization: auth } : {} });
    }
    return wsClients[auth];
  }
  function isSubscription(params) {
    var doc = params.query || "";
    var name = params.operationName;
    var re = /(^|[^\\w])(query|mutation|subscription)\\s*([_A-Za-z][_0-9A-Za-z]*)?/g, m, first = null;
    while ((m = re.exec(doc))) { if (!first) first = m; if (name && m[3] === name) return m[2] === "subscription"; }
    return !!first && first[2] === "subscription";
  }
  function fetcher(params, opts) {
    var headers = (opts && opts.headers) || {};
    if (isSubscription(params)) {
      var client = wsClient(headers);
      return {
        subscribe: function (observer) {
          var stop = client.subscribe(params, {
            next: function (v) { observer.next(v); },
            error: function (e) { observer.error(e); },
            complete: function () { observer.complete(); },
          });
          return { unsubscribe: stop };
        },
      };
    }
    var h = Object.assign({ "content-type": "application/json", accept: "application/graphql-response+json, application/json" }, headers);
    return fetch(endpoint, { method: "POST", headers: h, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
  }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: storage,
      defaultQuery: config.query,
      defaultHeaders: config.headers,
      isHeadersEditorEnabled: true,
      // Also hides GraphiQL's "persist headers" setting: headers are never stored, whatever it says.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: config.headers ? "headers" : false,
    }),
  );
})();
`);
