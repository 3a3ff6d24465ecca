// The standby delay of an office's rules, apart from the schema so the pages can read it without zod.
import type { Rules } from './rules.ts';

/** Default minutes after a session's start before standby: half an hour late is no longer "a bit late". */
export const DEFAULT_STANDBY_AFTER_MINUTES = 30;

/** The office's standby delay in minutes, or null when standby is off (rules without the field: default). */
export function standbyAfterMinutes(rules: Pick<Rules, 'standbyAfterMinutes'>): number | null {
  return rules.standbyAfterMinutes === undefined ? DEFAULT_STANDBY_AFTER_MINUTES : rules.standbyAfterMinutes;
}

/** The officer's standby panel of one day: each session's moment and free places, the line in order. */
export interface StandbyPanel {
  officeId: string;
  date: string;
  sessions: { id: string; start: string; standbyAt: string | null; capacity: number; free: number }[];
  line: {
    ticket: string;
    name: string;
    nikMasked: string;
    groupSize: number;
    arrivedAt: string | null;
    seatedCode: string | null;
  }[];
}
