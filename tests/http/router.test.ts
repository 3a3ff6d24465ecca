// hono picks its RegExpRouter (one regular expression per method) only if every route of the app fits it;
// one route that does not, and every request is matched by the slower TrieRouter. A parameter beside two
// or more static segments at the same level is such a route (e.g. `/:office/:date/x` beside
// `/:office/stats` and `/:office/run`). This keeps the app within RegExpRouter's reach.
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Deps } from '../../src/deps.ts';

describe('the app router', () => {
  it('fits every route into hono RegExpRouter', () => {
    // Building the app registers its routes; no handler runs, so no dependency is touched.
    const app = createApp({} as Deps);
    const refused: string[] = [];
    const accepted: typeof app.routes = [];
    // One by one, so a failure names the routes refused (the router may refuse only when first matching).
    for (const route of app.routes) {
      const trial = new RegExpRouter<string>();
      try {
        for (const r of [...accepted, route]) trial.add(r.method, r.path, r.path);
        trial.match('GET', '/');
        accepted.push(route);
      } catch {
        refused.push(`${route.method} ${route.path}`);
      }
    }
    const router = new RegExpRouter<string>();
    for (const r of accepted) router.add(r.method, r.path, r.path);
    expect(refused).toEqual([]);
    expect(app.routes.length).toBeGreaterThan(80);
    // And it routes: the dated admin routes and the docs' script by their own handlers.
    const [matched] = router.match('POST', '/api/admin/draws/medan/dates/2026-11-30/entropy');
    expect(matched.map(([path]) => path)).toContain('/api/admin/draws/:office/dates/:date/entropy');
    expect(router.match('GET', '/api/docs/init.js')[0].map(([path]) => path)).toContain('/api/docs/:asset');
  });
});
