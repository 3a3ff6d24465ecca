// A stand-in for the civil registry, for tests and demos: a small HTTP service that answers the
// registry client's protocol (registry-client.ts) from a population file, with switches for slowness
// and outage. Never for production: it holds a population of invented people in clear.
//   node src/identity/registry-double.ts [--port 8090] [--population file.json] [--size 2000] [--token T]
// A population file is a JSON array of {nik, name, birthDate}; without one, a seeded population is made.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { exampleNik } from '../domain/nik.ts';

export interface Resident {
  nik: string;
  name: string;
  birthDate: string;
}

export interface DoubleSwitches {
  /** Every answer waits this long (a slow registry). */
  delayMs: number;
  /** 'down': 503 to everything; 'hang': accept and never answer; null: up. */
  outage: 'down' | 'hang' | null;
}

export interface RegistryDouble {
  url: string;
  switches: DoubleSwitches;
  /** Requests answered or refused so far (a hung one counts when it arrives). */
  requests: number;
  /** A resident more (the demo registers the persons it is about to bind). */
  add(r: Resident): void;
  close(): Promise<void>;
}

const FIRST = ['Siti', 'Budi', 'Dewi', 'Agus', 'Rina', 'Joko', 'Putri', 'Andi', 'Wati', 'Hadi'];
const LAST = ['Rahayu', 'Santoso', 'Lestari', 'Wijaya', 'Kusuma', 'Hidayat', 'Saputra', 'Purnama'];

/** A deterministic population of `size` residents with valid NIKs (serials 1..size). */
export function generatePopulation(size: number, seed = 1): Resident[] {
  const out: Resident[] = [];
  for (let i = 1; i <= size; i++) {
    const k = (i * 7919 + seed * 104729) >>> 0;
    const year = 1950 + (k % 55);
    const month = 1 + ((k >>> 3) % 12);
    const day = 1 + ((k >>> 7) % 28);
    const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const sex = k % 2 ? 'F' : 'M';
    out.push({
      nik: exampleNik({ birthDate, sex, serial: i }),
      name: `${FIRST[k % FIRST.length]} ${LAST[(k >>> 4) % LAST.length]}`,
      birthDate,
    });
  }
  return out;
}

const norm = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

export async function startRegistryDouble(opts: {
  population: Resident[];
  token?: string;
  port?: number;
  host?: string;
}): Promise<RegistryDouble> {
  const byNik = new Map(opts.population.map((r) => [r.nik, r]));
  const hung = new Set<import('node:http').ServerResponse>();
  const state: RegistryDouble = {
    url: '',
    switches: { delayMs: 0, outage: null },
    requests: 0,
    add: (r) => {
      byNik.set(r.nik, r);
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    state.requests++;
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const { delayMs, outage } = state.switches;
      if (outage === 'hang') {
        hung.add(res);
        return;
      }
      setTimeout(() => {
        if (outage === 'down') return reply(res, 503, { error: 'unavailable' });
        if (req.method !== 'POST') return reply(res, 405, { error: 'method' });
        if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`)
          return reply(res, 401, { error: 'unauthorized' });
        let q: Partial<Resident>;
        try {
          q = JSON.parse(body) as Partial<Resident>;
        } catch {
          return reply(res, 400, { error: 'json' });
        }
        const r = typeof q.nik === 'string' ? byNik.get(q.nik) : undefined;
        const match = !!r && r.birthDate === q.birthDate && norm(r.name) === norm(String(q.name ?? ''));
        reply(res, 200, { result: match ? 'match' : 'no_match' });
      }, delayMs);
    });
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/verify`;
  state.close = () =>
    new Promise<void>((ok) => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      server.close(() => ok());
    });
  return state;
}

function reply(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      population: { type: 'string' },
      size: { type: 'string', default: '2000' },
      token: { type: 'string' },
    },
  });
  const population = values.population
    ? (JSON.parse(readFileSync(values.population, 'utf8')) as Resident[])
    : generatePopulation(Number(values.size));
  const d = await startRegistryDouble({ population, token: values.token, port: Number(values.port) });
  console.log(`registry double on ${d.url} with ${population.length} residents`);
}
