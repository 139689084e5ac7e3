# syntax=docker/dockerfile:1
# NODE_IMAGE lets a build without registry access use a local Node 24 base image.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY openapi ./openapi
COPY src ./src
COPY mock ./mock
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
HEALTHCHECK --interval=10s --timeout=2s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
EXPOSE 8080
# The same command as `npm start`: the young generation is capped at 8 MiB per semi-space, which keeps the
# resident set under load well below what V8 would size it to on a large host (see bench/README.md).
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
