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
# The heap's Node flags (docs/benchmarks.md, README « Performance »):
# - a young generation of 16 MB a half (V8's default, made explicit): a young collection copies what the
#   requests in flight still hold, about the same whatever its size, so a larger one collects less often:
#   with 4 MB a half, young collections took 180 µs of each « Mes demandes » request, with 16 MB 95 µs,
#   for about 25 MB more resident memory (measured, issue #15);
# - an old generation bounded at 2,000 MB: below 2 GB V8 lets the heap grow to at most twice what is live
#   before a full collection, instead of four times on a host of more than 16 GB (resident memory under
#   load: about 220 MB instead of 350 to 540);
# - no pretenuring by allocation site: under load most of a request's objects outlive one young collection,
#   and V8 then allocates them straight into the old generation, where only a full collection frees them;
#   left young, they die there, and the bound above costs no throughput (measured: none lost).
# npm start passes the same flags, and the benchmark reads them here (scripts/bench/node-flags.ts).
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=2000", "--no-allocation-site-pretenuring", "dist/src/main.js"]
