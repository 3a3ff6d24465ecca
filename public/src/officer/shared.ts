// Shared by the parts of the officer page: the translator and the shapes of the offices and day sheet.
import { live } from '../lib/dom.ts';
import { translator, type Vars } from '../lib/i18n.ts';
import { type Key, strings } from '../strings/officer.ts';

export const t = translator(strings);
export const T = (key: Key, vars?: Vars) => live(() => t(key, vars));

export interface Office {
  id: string;
  name: string;
  tz: string;
  sessions: { id: string; start: string; end: string; capacity: number }[];
}
export interface SheetSession {
  id: string;
  start: string;
  end: string;
  capacity: number;
  offered?: number;
  confirmed?: number;
  checkedIn?: number;
  free?: number;
  people?: { code: string; state: string; name: string; nikMasked: string }[];
}
export interface DaySheet {
  office: { id: string; name: string; tz: string };
  date: string;
  sessions: SheetSession[];
}
