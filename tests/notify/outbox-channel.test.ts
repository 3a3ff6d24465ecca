// The outbox keeps its file open and writes the lines of concurrent sends together. Readers must still
// see every line whole and exactly once, as soon as its send resolves, even when the file is rotated or
// deleted under a running process, a crash left half a line at its end, or the channel was closed.
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxChannel, type OutgoingMessage } from '../../src/notify/channel.ts';
import { outboxTail } from '../../src/notify/outbox-tail.ts';

let dir: string;
const channels: OutboxChannel[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fairslot-outbox-'));
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((c) => c.close()));
  rmSync(dir, { recursive: true, force: true });
});

function channel(dataDir = dir): OutboxChannel {
  const c = new OutboxChannel(dataDir);
  channels.push(c);
  return c;
}

const msg = (i: number): OutgoingMessage => ({
  id: `ev-${i}:acc:waitlisted`,
  channel: 'sms',
  to: '+6281234500000',
  template: 'waitlisted',
  lang: 'id',
  // Long enough that a batch of them is far beyond one page, and with characters JSON has to escape.
  text: `Tiket ${i}: daftar tunggu "${'x'.repeat(200)}" ✓ ${'ü'.repeat(50)}`,
});

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('outbox channel', () => {
  it('concurrent sends: every line whole, each message once, readable when its send resolves', async () => {
    const c = channel();
    const seenOnResolve: boolean[] = [];
    await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        await c.send(msg(i));
        if (i % 50 === 0)
          seenOnResolve.push(readFileSync(c.file, 'utf8').includes(`"ev-${i}:acc:waitlisted"`));
      }),
    );
    expect(seenOnResolve).toHaveLength(12);
    expect(seenOnResolve.every(Boolean)).toBe(true);
    const ids = lines(c.file).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
  });

  it('two channels on one file (API and worker processes) never cut into each other’s lines', async () => {
    const a = channel();
    const b = channel();
    await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).send(msg(i))));
    const parsed = lines(a.file).map((l) => JSON.parse(l) as { id: string });
    expect(new Set(parsed.map((m) => m.id)).size).toBe(400);
  });

  it('creates the data directory when it does not exist yet', async () => {
    const c = channel(path.join(dir, 'not', 'yet'));
    await c.send(msg(1));
    expect(lines(c.file)).toHaveLength(1);
  });

  it('a rotated file is left alone and a deleted one recreated: no line goes where nobody reads', async () => {
    const c = channel();
    await c.send(msg(1));
    renameSync(c.file, `${c.file}.1`);
    await c.send(msg(2));
    expect(lines(`${c.file}.1`).map((l) => JSON.parse(l).id)).toEqual(['ev-1:acc:waitlisted']);
    expect(lines(c.file).map((l) => JSON.parse(l).id)).toEqual(['ev-2:acc:waitlisted']);
    unlinkSync(c.file);
    await c.send(msg(3));
    expect(lines(c.file).map((l) => JSON.parse(l).id)).toEqual(['ev-3:acc:waitlisted']);
  });

  it('half a line left by a crash stays on its own line; the next message is not glued to it', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    writeFileSync(file, `${JSON.stringify(msg(0))}\n{"id":"ev-torn`);
    const c = channel();
    await c.send(msg(1));
    await c.send(msg(2));
    const raw = lines(file);
    expect(raw).toHaveLength(4);
    expect(raw[1]).toBe('{"id":"ev-torn');
    expect(JSON.parse(raw[2]!).id).toBe('ev-1:acc:waitlisted');
    // The admin view skips the fragment and shows the rest, newest first.
    expect((await outboxTail(file, 10)).map((m) => m.id)).toEqual([
      'ev-2:acc:waitlisted',
      'ev-1:acc:waitlisted',
      'ev-0:acc:waitlisted',
    ]);
  });

  it('close waits for the writes in flight; a send after close opens the file again', async () => {
    const c = channel();
    const sends = Array.from({ length: 50 }, (_, i) => c.send(msg(i)));
    await c.close();
    expect(lines(c.file)).toHaveLength(50);
    await Promise.all(sends);
    await c.send(msg(50));
    expect(lines(c.file)).toHaveLength(51);
  });

  it('a failed write fails the sends it carried, and the channel recovers once the cause is gone', async () => {
    const parent = path.join(dir, 'blocked');
    // A regular file where the data directory should be: mkdir and open both fail.
    writeFileSync(parent, '');
    const c = channel(path.join(parent, 'data'));
    await expect(c.send(msg(1))).rejects.toThrow();
    unlinkSync(parent);
    await c.send(msg(2));
    expect(lines(c.file).map((l) => JSON.parse(l).id)).toEqual(['ev-2:acc:waitlisted']);
  });
});
