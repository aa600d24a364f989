import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * GraphiQL served from installed packages (no CDN), so it works behind a
 * firewall and with no internet at all.
 */
const pkg = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const GRAPHIQL_ASSETS: Record<string, { file: string; type: string }> = {
  "react.js": { file: join(pkg("react"), "umd/react.production.min.js"), type: "text/javascript" },
  "react-dom.js": { file: join(pkg("react-dom"), "umd/react-dom.production.min.js"), type: "text/javascript" },
  "graphiql.js": { file: join(pkg("graphiql"), "graphiql.min.js"), type: "text/javascript" },
  "graphiql.css": { file: join(pkg("graphiql"), "graphiql.min.css"), type: "text/css" },
  "graphql-ws.js": {
    file: join(dirname(require.resolve("graphql-ws")), "../umd/graphql-ws.min.js"),
    type: "text/javascript",
  },
};

const cache = new Map<string, Buffer>();

/** The bytes of one asset, read once. */
export function graphiqlAsset(name: string): { body: Buffer; type: string } | undefined {
  const asset = GRAPHIQL_ASSETS[name];
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

/** The page. `defaultHeaders` pre-fills the headers editor (e.g. the demo editor's token). */
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
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/graphql-ws.js"></script>
<script>
(function () {
  var config = ${config.replace(/</g, "\\u003c")};
  var endpoint = location.origin + "/graphql";
  var wsEndpoint = endpoint.replace(/^http/, "ws");
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
      defaultQuery: config.query,
      defaultHeaders: config.headers,
      headerEditorEnabled: true,
      shouldPersistHeaders: true,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: config.headers ? "headers" : false,
    }),
  );
})();
</script>
</body>
</html>`;
}
