import { Socket } from 'node:net';
import { startPrivateSystem } from './private-system.ts';

let flushes = 0;
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
const sys = await startPrivateSystem();
const r = sys.deps.redis;
await r.ping();
console.log('stream patched', (r as any).stream.coalesced);
flushes = 0;
await Promise.all(Array.from({ length: 100 }, (_, i) => r.get('k' + i)));
console.log('flushes for 100 parallel gets', flushes);
await sys.stop();
