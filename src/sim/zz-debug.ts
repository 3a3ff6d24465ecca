import { Socket } from 'node:net';
import { runFairslot } from './fairslot.ts';
import { generatePopulation } from './population.ts';
import { loadScenario } from './scenario.ts';

let writes = 0;
let flushes = 0;
const w = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...a: any[]) {
  writes++;
  return (w as any).apply(this, a);
} as any;
const wv = (Socket.prototype as any)._writev;
(Socket.prototype as any)._writev = function (this: any, ...a: any[]) {
  flushes++;
  return wv.apply(this, a);
};
const wg = (Socket.prototype as any)._write;
(Socket.prototype as any)._write = function (this: any, ...a: any[]) {
  flushes++;
  return wg.apply(this, a);
};
const s = loadScenario(process.argv[2]!);
const c0 = process.cpuUsage();
const t = performance.now();
await runFairslot(s, generatePopulation(s), { entropy: 'seeded' });
const c = process.cpuUsage(c0);
console.log(
  process.env.SIM_AUTOPIPE ? 'coalesce' : 'plain',
  'wall',
  Math.round(performance.now() - t),
  'user',
  Math.round(c.user / 1000),
  'sys',
  Math.round(c.system / 1000),
  'writes',
  writes,
  'flushes',
  flushes,
);
console.log((globalThis as any).__hist);
