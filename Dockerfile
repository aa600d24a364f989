# newsgraph: a production image. Built by docker-compose.yml, or on its own:
#   docker build -t newsgraph . && docker run -p 4000:4000 -e DATABASE_URL=... newsgraph
# Stage 1 compiles with the dev dependencies (tsc emits the decorator metadata type-graphql needs,
# esbuild bundles the widget); stage 2 holds the compiled output and production dependencies only,
# and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY src ./src
# The bench seeder (npm run cli -- seed --bench) lives beside the benchmarks, outside src.
COPY bench/seed ./bench/seed
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database (used when DATABASE_URL is unset) lives in /data, owned by the runtime user.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --max-semi-space-size: V8's young generation at 64 MB per half (16 by default): a GraphQL response allocates
# many short-lived objects, and fewer scavenges gave ~20% more uncached pages per core for ~90 MB more peak RSS
# (bench/README.md, "V8 young generation"). package.json's start and bench scripts use the same flag.
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
