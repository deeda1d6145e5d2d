# One image, both entry points: `cicdstatemgr` for Tekton Task steps, `slackline serve` for the gateway.
# Build: docker build -t slackline .     Run the gateway: docker run -p 3000:3000 --env-file gateway.env slackline
# Node 24, the current LTS. Every base is pinned by digest, with the tag it was taken from beside it: a rebuild
# gets the same bytes until someone moves the pin on purpose (docker buildx imagetools inspect node:24-slim).

# --- build: dev dependencies and the bundles, the same artifacts as `npm run build` ---
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- runtime dependencies only: the bundles carry everything but ioredis, nunjucks and undici (the build's
# --external: flags), so node_modules is pruned to those three and what they need (~5 MiB of ~33 MiB) ---
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prune-runtime-deps.mjs ./scripts/
# No dependency needs an install script at runtime; not running them keeps the layer reproducible.
RUN npm ci --omit=dev --ignore-scripts && node scripts/prune-runtime-deps.mjs && npm cache clean --force

# --- runtime ---
# node:24-slim rather than distroless: Task steps run bash scripts (`source` of the shell projection) in it.
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The bins of package.json, on PATH. Node resolves a symlinked script's requires from its real path, so
# dist/*.js find /app/node_modules.
RUN chmod 0755 dist/cicdstatemgr.js dist/slackline.js \
  && ln -s /app/dist/cicdstatemgr.js /usr/local/bin/cicdstatemgr \
  && ln -s /app/dist/slackline.js /usr/local/bin/slackline
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["slackline", "serve"]
