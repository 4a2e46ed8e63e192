# syntax=docker/dockerfile:1
# One image per flowsentry service: docker build --build-arg SERVICE=ingest --build-arg PORT=8081 -t flowsentry/ingest .
# Every image holds the whole compiled workspace (libs are shared), so any image can also run
# `node libs/audit/dist/cli/migrate.js`, which is how compose and the Helm hook apply migrations.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node's install script would fetch GPU binaries from outside the npm registry; the CPU
# binaries ship inside the npm package, which is all the services use.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    NX_DAEMON=false \
    NX_NO_CLOUD=true
# npm workspaces need every workspace's package.json before `npm ci`; copying the whole context keeps
# the Dockerfile unchanged when a service is added, and the npm cache mount keeps rebuilds cheap.
COPY . .
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
RUN npx tsc -b tsconfig.build.json
ARG SERVICE=ingest
# Fail the build here, naming the service, rather than at container start.
RUN test -f "services/${SERVICE}/dist/main.js" || { echo "no services/${SERVICE}/dist/main.js: SERVICE must name a built service" >&2; exit 1; }
RUN npm prune --omit=dev --no-audit --no-fund \
 && find libs services tools -mindepth 2 -maxdepth 2 -type d \( -name src -o -name test \) -exec rm -rf {} + \
 && find . -name '*.tsbuildinfo' -delete \
 # A symlink is the shell-free way to give CMD a fixed path: node resolves the real path of its main
 # module, so relative requires inside services/<name>/dist keep working.
 && ln -s "services/${SERVICE}/dist/main.js" /app/service-main.js

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=ingest
ARG PORT=8081
ENV NODE_ENV=production \
    FLOWSENTRY_SERVICE=${SERVICE} \
    HOST=0.0.0.0 \
    PORT=${PORT}
WORKDIR /app
# uid/gid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
COPY --from=build --chown=0:0 /app /app
USER 1000:1000
EXPOSE ${PORT}
# node:*-slim has no curl or wget; Node 20's fetch is enough for a liveness probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# services/${SERVICE}/dist/main.js through the symlink made in the build stage (exec form, no shell:
# SIGTERM reaches node directly, which is what lets ingest drain its open batches).
CMD ["node", "service-main.js"]
