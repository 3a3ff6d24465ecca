# Build stage: dev dependencies (esbuild, tsx) compile the server, its CLIs and the pages to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies and dist/ only; no TypeScript toolchain.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --omit=optional too: TypeScript, a dev dependency, is also an optional peer of valibot (under
# @bull-board/api), and npm keeps such a package unless optional ones are omitted as well. The one
# optional runtime package this leaves out, msgpackr-extract, only speeds up msgpackr, which works without.
# No production dependency needs an install script (the one present only reports telemetry).
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The named volume takes this ownership on first use, so the app can write its outbox there.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
