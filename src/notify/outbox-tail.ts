// The newest lines of the outbox file, for the admin console. Reads only the end of the file: the outbox
// grows for as long as a deployment runs without an SMS or SMTP provider.
import { open } from 'node:fs/promises';

/** Enough for 500 messages of a few hundred bytes each. */
const MAX_TAIL_BYTES = 1024 * 1024;

export async function outboxTail(file: string, limit: number): Promise<Array<Record<string, unknown>>> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_TAIL_BYTES);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n');
    // The first line is cut in half unless the read started at the beginning of the file.
    if (length < size) lines.shift();
    const out: Array<Record<string, unknown>> = [];
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A line being appended right now; the next read will see it whole.
      }
    }
    return out;
  } finally {
    await handle.close();
  }
}
