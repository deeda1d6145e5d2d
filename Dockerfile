# One image, both entry points: `cicdstatemgr` for Tekton Task steps, `slackline serve` for the gateway.
# Build: docker build -t slackline .     Run the gateway: docker run -p 3000:3000 --env-file gateway.env slackline

# --- build: dev dependencies and the bundles ---
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- runtime dependencies only: the bundles keep ioredis, nunjucks and undici external (package.json "build") ---
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs an install script at runtime; not running them keeps the layer reproducible.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# --- runtime ---
# node:20-slim rather than alpine: Task steps run bash scripts (`source` of the shell projection) in this image.
FROM node:20-slim
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
