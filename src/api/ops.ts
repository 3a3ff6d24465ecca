// Probes and metrics, served by the API and — on METRICS_PORT — by worker-only processes, which have
// no other HTTP surface but still hold the draw durations and notification outcomes worth scraping.
import { Hono } from 'hono';
import { clusterMetricsText, isApiChild } from '../process/api-cluster.ts';
import type { AppEnv } from './env.ts';
import { requireStaff } from './middleware/staff-auth.ts';

export const opsRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ ok: true }))
  .get('/readyz', async (c) => {
    try {
      await c.get('deps').redis.ping();
      return c.json({ ok: true, redis: 'up' });
    } catch {
      return c.json({ error: { code: 'unavailable', message: 'redis unreachable' } }, 503);
    }
  })
  // Prometheus scrapes with an admin API token (bearer_token in its scrape config).
  .get('/metrics', requireStaff('admin'), async (c) => {
    const { metrics } = c.get('deps');
    c.header('content-type', metrics.registry.contentType);
    // One of several API processes answers for all of them (see src/process/api-cluster.ts).
    return c.body(isApiChild() ? await clusterMetricsText() : await metrics.render());
  });
