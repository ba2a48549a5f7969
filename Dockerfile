# Shop API image: `docker compose up` (see docker-compose.yml and the README's Docker section).
# Checked statically by `npm run check:container` (scripts/check-container.mjs) and built, run and
# stopped for real by `npm run test:container` (scripts/test-container.mjs), both in CI.
# Classic Dockerfile syntax only (no `# syntax=` line): it builds with BuildKit and with the legacy
# builder alike, and needs nothing from Docker Hub but the base image.

# --- build: all dependencies, Prisma client generation, TypeScript → dist/, then the production tree ---
FROM node:24.22.3-bookworm-slim AS build
# tini, the runtime image's init, as one static binary: the runtime stage needs no apt.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# No compiler here on purpose: argon2 loads its prebuilt binary on Node 24. If a native module
# ever lacks a working prebuild, npm ci fails here ("Could not find any Python installation")
# instead of compiling silently.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
COPY admin ./admin
# prisma generate (prebuild) → nest build → ReDoc bundle into dist/public → staff console into dist/admin
RUN npm run build
# Production tree: no devDependencies, and no optional or peer-only packages either (the Prisma
# CLI, Studio, @prisma/dev, PGlite, effect and typescript come in as optional peers of
# @prisma/client); then files nothing loads at run time (scripts/slim-node-modules.sh).
RUN npm prune --omit=dev --omit=optional --omit=peer --no-audit --no-fund \
 && sh scripts/slim-node-modules.sh node_modules \
 && npm cache clean --force

# --- runtime: Node, tini, production node_modules, the compiled app, the migrations and their runner ---
FROM node:24.22.3-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="shop-api" \
      org.opencontainers.image.description="Shop API: product catalogue and orders backend (NestJS, Fastify, Prisma, PostgreSQL)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="docker.io/library/node:24.22.3-bookworm-slim"
# A heap limit far below the machine's memory also makes V8 collect garbage in smaller steps
# (it scales its heap growth factor with the limit): measured under load, the service peaks near
# 200 MB instead of 300-400 MB (README, Performance). The live heap is ~60 MB.
ENV NODE_ENV=production NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY --from=build /usr/bin/tini-static /usr/bin/tini
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY prisma/migrations ./prisma/migrations
# The native module must load on this image's Node, as the user that runs the service.
USER node
RUN node -e "import('argon2').then((a) => a.hash('build-check')).then(() => console.log('argon2 loads'))"
EXPOSE 3000
# Liveness only (the process answers); readiness (/health/ready) is for the load balancer.
# No curl in the slim image: Node's own fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini is PID 1: it passes SIGTERM on to Node and reaps zombies. SIGTERM starts the graceful
# shutdown (drain, then close the pool): give Docker a longer grace period than
# SHUTDOWN_TIMEOUT_MS (10 s): `docker stop -t 15`, compose stop_grace_period: 15s.
ENTRYPOINT ["/usr/bin/tini", "--"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
