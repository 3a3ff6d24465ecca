import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { runFairslot } from './fairslot.ts';
import { generatePopulation } from './population.ts';
import { loadScenario } from './scenario.ts';

let cmds = 0,
  writes = 0;
const orig = Redis.prototype.sendCommand;
(Redis.prototype as any).sendCommand = function (...a: any[]) {
  cmds++;
  return (orig as any).apply(this, a);
};
const w = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...a: any[]) {
  writes++;
  return (w as any).apply(this, a);
} as any;
const s = loadScenario(process.argv[2]!);
await runFairslot(s, generatePopulation(s), { entropy: 'seeded' });
console.log({ cmds, writes });
