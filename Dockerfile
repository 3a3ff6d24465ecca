FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# tsx (a dev dependency) runs the TypeScript directly, so dev dependencies are installed too.
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
# The named volume takes this ownership on first use, so the app can write its outbox there.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/main.ts"]
