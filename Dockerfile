# syntax=docker/dockerfile:1
# One image recipe for every service: docker build --build-arg SERVICE=users .
# (Copilot passes SERVICE from each manifest's image.build.args; the context is the repo root.)
ARG NODE_VERSION=22

# --- build: install everything, bundle the service, install its production dependencies ---
FROM public.ecr.aws/docker/library/node:${NODE_VERSION}-alpine AS build
# better-sqlite3 compiles from source; the compiler stays in this stage.
RUN apk add --no-cache python3 make g++
WORKDIR /workspace
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG SERVICE
RUN test -n "${SERVICE}" || (echo "--build-arg SERVICE=<users|threads|posts> is required" && exit 1)
RUN NX_DAEMON=false npx nx build "${SERVICE}" --skip-nx-cache
# The bundle's generated package.json and lock name only what it imports at run time.
WORKDIR /runtime
RUN cp /workspace/dist/apps/${SERVICE}/main.js /workspace/dist/apps/${SERVICE}/package.json \
       /workspace/dist/apps/${SERVICE}/package-lock.json ./ \
 && npm ci --omit=dev --no-audit --no-fund \
 && sh /workspace/tools/scripts/prune-production-modules.sh node_modules \
 && npm cache clean --force

# --- runtime: Node, the bundle and its production dependencies, as uid 1001 ---
FROM public.ecr.aws/docker/library/node:${NODE_VERSION}-alpine AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE_NAME=${SERVICE} \
    PORT=3000
RUN addgroup -g 1001 -S nodejs && adduser -S -u 1001 -G nodejs -H -s /sbin/nologin nodejs
WORKDIR /app
# Owned by root and read-only for the service: it cannot change its own code.
COPY --from=build --chown=root:root --chmod=a=rX /runtime ./
USER 1001:1001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/'+process.env.SERVICE_NAME+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (drain, close the database, exit 0).
CMD ["node", "main.js"]
