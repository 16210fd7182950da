# Production image of P2V (for deployers; the demo and the tests need no Docker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .dsfr.yml ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY src src
COPY migrations migrations
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY views views
COPY locales locales
COPY public public
RUN mkdir -p /data/documents && chown node:node /data/documents
USER node
EXPOSE 3000
# A young generation of 4 MB a half (V8's default: 16): the app's garbage is short-lived (one request's
# objects), and the resident memory under load stays lower (docs/benchmarks.md). npm start passes the
# same flags, and the benchmark reads them here (scripts/bench/node-flags.ts).
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
