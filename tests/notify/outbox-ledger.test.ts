// The outbox ledger answers "is message X already in the file, written after its earlier try claimed it?"
// by reading the file from its end back to that claim, then only what was appended since.
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEDGER_CLOCK_MARGIN_MS, OutboxLedger } from '../../src/notify/outbox-ledger.ts';

const line = (id: string, at: number) =>
  `${JSON.stringify({ id, channel: 'sms', to: '+62812', text: 'x'.repeat(300), sentAt: new Date(at).toISOString() })}\n`;

describe('OutboxLedger', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-ledger-'));
  const file = path.join(dir, 'outbox.jsonl');
  const T = Date.parse('2026-12-01T12:00:00Z');

  it('finds lines written since the claim, across many pieces, and not older ones', async () => {
    let text = '';
    // 8,000 lines of ~400 bytes: several 1 MB pieces read backwards.
    for (let i = 0; i < 8000; i++) text += line(`m${i}`, T + i * 10);
    writeFileSync(file, text);
    const ledger = new OutboxLedger(file);
    expect(await ledger.holds('m7999', T + 79_990)).toBe(true);
    // Written 60 s of margin and more before the claim asked about: not this try's line.
    expect(await ledger.holds('m100', T + 1000 + LEDGER_CLOCK_MARGIN_MS + 10)).toBe(false);
    expect(await ledger.holds('m1500', T + 15_000)).toBe(true);
    expect(await ledger.holds('m0', T)).toBe(true);
    expect(await ledger.holds('nope', T)).toBe(false);
  });

  it('reads what was appended since, and ignores a line cut short by a crash', async () => {
    const ledger = new OutboxLedger(file);
    expect(await ledger.holds('late', T + 70_000)).toBe(false);
    appendFileSync(file, line('late', T + 90_000) + line('torn', T + 90_001).slice(0, 50));
    expect(await ledger.holds('late', T + 70_000)).toBe(true);
    expect(await ledger.holds('torn', T + 70_000)).toBe(false);
    // The rest of the torn line never comes; the next writer starts a fresh line after it.
    appendFileSync(file, `\n${line('after', T + 90_002)}`);
    expect(await ledger.holds('after', T + 70_000)).toBe(true);
    expect(await ledger.holds('torn', T + 70_000)).toBe(false);
  });

  it('starts over when the file was rotated', async () => {
    const ledger = new OutboxLedger(file);
    expect(await ledger.holds('after', T + 70_000)).toBe(true);
    renameSync(file, `${file}.1`);
    writeFileSync(file, line('fresh', T + 100_000));
    expect(await ledger.holds('after', T + 70_000)).toBe(false);
    expect(await ledger.holds('fresh', T + 70_000)).toBe(true);
  });

  it('answers every one of many concurrent questions from one consistent read', async () => {
    // A restarted worker settles a burst of earlier tries at once, each asking while the others read.
    let text = '';
    for (let i = 0; i < 8000; i++) text += line(`c${i}`, T + i * 10);
    writeFileSync(file, text);
    const ledger = new OutboxLedger(file);
    const asked = Array.from({ length: 60 }, (_, k) => 7999 - k * 7);
    // Staggered, as jobs arrive: each question comes while earlier ones are part-way through the file.
    const answers = await Promise.all(
      asked.map(async (i, k) => {
        for (let t = 0; t < k; t++) await new Promise((r) => setImmediate(r));
        return ledger.holds(`c${i}`, T + i * 10);
      }),
    );
    expect(answers.every(Boolean)).toBe(true);
  });

  it('a missing file holds nothing', async () => {
    expect(await new OutboxLedger(path.join(dir, 'none.jsonl')).holds('m1', T)).toBe(false);
  });
});
