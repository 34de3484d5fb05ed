# syntax=docker/dockerfile:1
# Vigil, self-hosted: `npm start`'s one process (API, web app, checks on in-process timers, alert
# dispatcher) with its embedded database, as a non-root container. Everything it keeps lives in the
# one volume /data (DATA_DIR): the database, the mail files and the generated secret, if any.
#   docker build -t vigil .
#   docker run -d -p 3000:3000 -v vigil-data:/data --env-file .env --stop-timeout 75 vigil

# 1. Build: the server bundle (scripts/build-server.ts) and, when the checkout has one, the web app.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# `--if-present`: a checkout without the web app still builds; web/dist then ships empty.
RUN npm run build:web --if-present && mkdir -p web/dist
RUN npm run build:server

# 2. The production dependencies only (no test, build or AWS-deploy tooling).
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. What runs.
FROM node:22-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
# The volume's mount point belongs to the unprivileged `node` user of the base image (uid 1000),
# so a new named volume starts writable by it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /healthz (200 when the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: in-flight checks finish and are recorded, then the database is closed (src/entry/local.ts);
# the longest check takes up to ~65 s, so stop with a timeout above it (compose: stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.mjs"]
