# compshare-bot container image.
#   docker build -t compshare-bot .
#   docker run -p 3000:3000 -v compshare-data:/data -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… \
#     -e CREDENTIALS_KEY=… compshare-bot
# test/ship/production-install.test.ts reads this file and repeats its steps outside Docker.

# Build stage: the full toolchain compiles src/ to dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The lock's only install script is the `node` devDependency's, which would download a second
# Node.js 24 next to the one this image already is.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and compiled JavaScript only.
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's own `node` user (uid 1000) runs the bot; the code stays root-owned and read-only to it.
RUN mkdir /data && chown node:node /data
USER node
ENV PORT=3000 \
    DATABASE_URL=sqlite:/data/compshare-bot.sqlite
VOLUME ["/data"]
EXPOSE 3000
# Slim images have no curl; Node's own fetch asks /healthz on whatever PORT the bot was given.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 so SIGTERM reaches the bot itself, which drains work in flight (up to 20 s) and
# exits 0: give `docker stop` / Kubernetes a grace period above that (e.g. `docker stop -t 30`).
# No init process: the bot starts no child processes, so there are no zombies to reap.
# V8 sizes its heap from the host's memory, not the bot's needs: on a 24 GB host the young
# generation alone grew to 128 MB. The bot's live heap is about 35 MB (bench/results), so these
# caps keep its RSS near 160 MB instead of 350 MB; raise --max-old-space-size for very large teams.
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=160", "dist/main.js", "start"]
