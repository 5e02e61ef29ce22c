# One image recipe for every service: docker build --build-arg SERVICE=users .
# (Copilot passes SERVICE from each manifest's image.build.args; the context is the repo root.)
# The base is pinned by digest (Node 24, the active LTS line, on Alpine, from ECR Public: no Docker
# Hub limits); tools/scripts/refresh-base-image.sh moves it to the tag's current digest.
ARG NODE_IMAGE=public.ecr.aws/docker/library/node:24-alpine@sha256:d32cdf619f63fe0471182d08996dd516c6275bb5fd31ae06e55a570bd9e1ad43

# --- build: install everything, bundle the service, install its production dependencies ---
FROM ${NODE_IMAGE} AS build
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
RUN cp /workspace/dist/apps/${SERVICE}/main.js /workspace/dist/apps/${SERVICE}/start.js \
       /workspace/dist/apps/${SERVICE}/package.json \
       /workspace/dist/apps/${SERVICE}/package-lock.json ./ \
 && npm ci --omit=dev --no-audit --no-fund \
 && sh /workspace/tools/scripts/prune-production-modules.sh node_modules \
 && npm cache clean --force
# The CA bundle Aurora/RDS certificates chain to: the service verifies the database with it.
RUN wget -qO /rds-global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem \
 && test "$(grep -c 'BEGIN CERTIFICATE' /rds-global-bundle.pem)" -gt 10

# --- runtime: Node, the bundle and its production dependencies, as uid 1001 ---
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
# V8 sized for a 512 MB task (docs/performance.md, measured with `bench --memory 512`): an 8 MB
# semi-space scavenges less often than the default Node picks for a 512 MB limit (about 0.35 ->
# 0.46 of the baseline on a cached read), and a 192 MB old space keeps heap + native well under
# the 80 % memory scaling mark. `tools bench` runs the services with these same flags, and with
# the same MALLOC_MMAP_THRESHOLD_. That one is for glibc (the bench's host, or an image on a Debian
# base); Alpine's musl already maps large blocks on their own and unmaps them when freed. glibc
# raises its threshold to the size of each large block freed (up to 32 MiB), so from the second
# password hash on, a hash's 16-32 MiB stay resident in a per-thread arena for the life of the
# process (15-30 MB of the users service's peak RSS in the bench). Fixed at 4 MiB, blocks that
# large get their own mapping; smaller ones come from the heap as before (128 KiB, musl's, made a
# start about 700 page faults dearer).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=8" \
    MALLOC_MMAP_THRESHOLD_=4194304 \
    NODE_COMPILE_CACHE=/app/.compile-cache \
    SERVICE_NAME=${SERVICE} \
    PORT=3000
# No package managers at run time: nothing in a task installs or runs packages.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && addgroup -g 1001 -S nodejs && adduser -S -u 1001 -G nodejs -H -s /sbin/nologin nodejs
COPY --from=build --chown=root:root --chmod=a=r /rds-global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
WORKDIR /app
# Owned by root and read-only for the service: it cannot change its own code.
COPY --from=build --chown=root:root --chmod=a=rX /runtime ./
# V8's compiled code of the bundle and its modules, made here once so that a task does not compile
# them at every start (start to ready about 400 -> 300 ms on one core, docs/performance.md): Node's
# compile cache for the modules, and for the bundle a code cache made after it ran, which also holds
# the functions a start compiles lazily (start.js, libs/code-cache). Node keys its cache by its
# version, V8 flags and uid: made as uid 1001 with the NODE_OPTIONS above, then owned by root and
# read-only like the code it belongs to.
COPY --from=build /workspace/tools/scripts/warm-compile-cache.sh /tmp/
RUN install -d -o 1001 -g 1001 /app/.compile-cache
USER 1001:1001
RUN sh /tmp/warm-compile-cache.sh /app/start.js /app/.compile-cache
USER root
RUN chown -R root:root /app/.compile-cache && chmod -R a=rX /app/.compile-cache && rm /tmp/warm-compile-cache.sh
USER 1001:1001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/'+process.env.SERVICE_NAME+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (drain, close the database, exit 0). start.js runs the
# bundle, main.js, from its code cache.
CMD ["node", "start.js"]
