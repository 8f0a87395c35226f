# syntax=docker/dockerfile:1
# Coderon Flow production image. Build: `docker build -t coderon-flow .`; run and configure: see
# docs/operations.md. State lives only in the /data volume (SQLite file, uploads, mail log,
# scratch files), so the container runs with a read-only root filesystem.

# Production dependencies only. Install scripts are skipped: native modules here load prebuilt
# binaries (better-sqlite3's prebuilds/, @swc and msgpackr platform packages), and npm's default
# `node-gyp rebuild` for better-sqlite3 would need a compiler. A dependency that really needs its
# script gets an explicit `npm rebuild <name>` after this line.
FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Type check and compile (`node ace build` stops on any type error)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The test runner entrypoint and the test files compile along, but have no place in production
RUN node ace build && rm -rf build/tests build/bin/test.js build/bin/test.js.map

FROM node:24-bookworm-slim
# Debian's Chromium renders PDFs (playwright-core drives it; it never downloads a browser);
# tini is PID 1 so signals reach Node and zombie Chromium processes are reaped; pg_dump (15, as
# Debian 12 ships it) makes PostgreSQL backups, so the server must be PostgreSQL 15 or older
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-liberation tini postgresql-client-15 \
  && apt-get clean && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3333 \
    LOG_LEVEL=info \
    DB_CONNECTION=sqlite \
    SQLITE_PATH=storage/coderon.sqlite3 \
    SESSION_DRIVER=cookie \
    CHROMIUM_PATH=/usr/bin/chromium \
    TMPDIR=/data/tmp \
    MIGRATE_ON_START=false

WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./
COPY docker/entrypoint.sh docker/healthcheck.mjs ./docker/
# storage/ (SQLite, uploads, mail log) is the /data volume; the code stays root-owned and read-only
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/storage

USER node
VOLUME ["/data"]
EXPOSE 3333
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
CMD ["node", "bin/server.js"]
