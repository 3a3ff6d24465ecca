// The paced generator's HTTP/1.1 reader: each answer's status once it has been read whole, however the
// bytes are split across reads, with bodies framed by content-length or chunked encoding.
import { describe, expect, it } from 'vitest';
import { ResponseReader } from '../../bench/response-reader.ts';

function read(parts: string[]) {
  const statuses: number[] = [];
  const r = new ResponseReader((s) => statuses.push(s));
  const ok = parts.map((p) => r.push(Buffer.from(p, 'latin1')));
  return { statuses, ok };
}

const answer = (status: number, body: string) =>
  `HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('ResponseReader', () => {
  it('reads answers split anywhere and answers that share one read', () => {
    const two = answer(201, '{"entry":{"ticket":"A"}}') + answer(409, '{"error":{}}');
    for (let cut = 1; cut < two.length; cut += 7) {
      const { statuses, ok } = read([two.slice(0, cut), two.slice(cut)]);
      expect(ok).toEqual([true, true]);
      expect(statuses).toEqual([201, 409]);
    }
  });

  it('reports an answer only when its whole body has arrived', () => {
    const a = answer(200, 'x'.repeat(100));
    const { statuses } = read([a.slice(0, -1)]);
    expect(statuses).toEqual([]);
    expect(read([a.slice(0, -1), a.slice(-1)]).statuses).toEqual([200]);
  });

  it('reads chunked bodies, with extensions and trailers', () => {
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n';
    const bytes = chunked + answer(204, '');
    expect(read([bytes]).statuses).toEqual([200, 204]);
    expect(read(bytes.split('')).statuses).toEqual([200, 204]);
  });

  it('refuses what it cannot frame', () => {
    expect(read(['HTTP/1.1 200 OK\r\nx: 1\r\n\r\nbody']).ok).toEqual([false]);
    expect(read(['SSH-2.0-OpenSSH\r\n\r\n']).ok).toEqual([false]);
    expect(read([`HTTP/1.1 200 OK\r\n${'x: y\r\n'.repeat(20_000)}`]).ok).toEqual([false]);
  });
});
