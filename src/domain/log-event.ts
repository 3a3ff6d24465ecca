// The events of the transparency log, one leaf each (docs/transparency-log.md). A leaf is the canonical
// JSON of exactly these fields: an unknown field is refused rather than carried, so two implementations
// never disagree on what a leaf says. Pure and browser-safe.
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `<office>:<YYYY-MM-DD>`, the draw id the lottery hashes (src/services/draw-runner.ts, drawIdOf). */
export const logDrawIdSchema = z
  .string()
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*:\d{4}-\d{2}-\d{2}$/, 'must be <office>:<YYYY-MM-DD>');

/** An instant as Date.prototype.toISOString writes it (UTC, milliseconds). */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be YYYY-MM-DDTHH:mm:ss.sssZ');

const base = { drawId: logDrawIdSchema, at: instant };

export const drawOpenedSchema = z
  .strictObject({
    type: z.literal('draw-opened'),
    ...base,
    /** SHA-256 commitment to the secret server seed. */
    commitment: hex64,
    /** drand chain hash and round fixed at open; both null for an unanchored (offline) draw. */
    beaconChain: hex64.nullable(),
    beaconRound: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    specVersion: z.string().regex(/^[\w.-]{1,32}$/, 'must be 1–32 letters, digits, dots or dashes'),
    rulesVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .refine((e) => (e.beaconChain === null) === (e.beaconRound === null), {
    message: 'beaconChain and beaconRound are both set or both null',
    path: ['beaconRound'],
  });

export const drawClosedSchema = z.strictObject({
  type: z.literal('draw-closed'),
  ...base,
  entries: count,
  entriesDigest: hex64,
});

export const drawDrawnSchema = z.strictObject({
  type: z.literal('draw-drawn'),
  ...base,
  /** The revealed server seed: SHA-256 of it is the opened event's commitment. */
  seed: hex64,
  /** Randomness of the beacon round; null for an unanchored draw. */
  beaconRandomness: hex64.nullable(),
  resultsDigest: hex64,
  winners: count,
  waitlisted: count,
});

export const logEventSchema = z.union([drawOpenedSchema, drawClosedSchema, drawDrawnSchema]);

export type DrawOpenedEvent = z.infer<typeof drawOpenedSchema>;
export type DrawClosedEvent = z.infer<typeof drawClosedSchema>;
export type DrawDrawnEvent = z.infer<typeof drawDrawnSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type LogEventType = LogEvent['type'];

export const LOG_EVENT_TYPES: readonly LogEventType[] = ['draw-opened', 'draw-closed', 'draw-drawn'];

export class LogEventError extends Error {}

/** The leaf text of an event: canonical JSON of the validated fields. Throws LogEventError on bad input. */
export function encodeLogEvent(event: unknown): string {
  const parsed = logEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LogEventError(`invalid log event: ${issue.path.join('.') || '(event)'}: ${issue.message}`);
  }
  return canonicalJson(parsed.data);
}

/** A leaf read back: valid JSON of a known event and byte-for-byte canonical, or null. */
export function decodeLogLeaf(leaf: string): LogEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(leaf);
  } catch {
    return null;
  }
  const parsed = logEventSchema.safeParse(value);
  if (!parsed.success || canonicalJson(parsed.data) !== leaf) return null;
  return parsed.data;
}

/** What makes an append idempotent: one event of each type per draw. */
export const logEventIdentity = (event: Pick<LogEvent, 'type' | 'drawId'>) => `${event.type}|${event.drawId}`;
