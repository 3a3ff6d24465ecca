// The comparison as a plain-text table for the terminal (and, in markdown form, for docs/simulation.md).
import type { Comparison } from './compare.ts';
import type { PolicyOutcome } from './outcome.ts';

interface Row {
  label: string;
  value: (p: PolicyOutcome) => string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const days = (x: number) => `${x} d`;
const quartiles = (p: PolicyOutcome) =>
  p.winRateByArrivalQuartile.map((r) => `${Math.round(r * 100)}`).join(' / ');

export const ROWS: Row[] = [
  { label: 'Slots held (quota shown taken)', value: (p) => pct(p.slotsHeldShare) },
  { label: 'Slots used by people who came', value: (p) => pct(p.slotsUsedShare) },
  { label: 'Held slots held by brokers', value: (p) => pct(p.brokerSlotShare) },
  { label: "Brokers' share of requests/entries", value: (p) => pct(p.brokerDemandShare) },
  { label: 'Wait, median (genuine)', value: (p) => days(p.waitMedianDays) },
  { label: 'Wait, 95th percentile (genuine)', value: (p) => days(p.waitP95Days) },
  { label: 'Genuine applicants served', value: (p) => pct(p.servedShare) },
  { label: 'Genuine applicants who gave up', value: (p) => pct(p.gaveUpShare) },
  { label: 'Win % by arrival quartile (1st..4th)', value: quartiles },
  { label: 'Arrival-time gap (max - min win rate)', value: (p) => pct(p.arrivalFairnessGap) },
  {
    label: 'Flagged accounts (of them brokers)',
    value: (p) => `${p.flaggedAccounts} (${p.flaggedBrokerAccounts})`,
  },
  { label: 'Capacity / held / used (slots)', value: (p) => `${p.capacity} / ${p.held} / ${p.used}` },
];

export function textTable(c: Comparison): string {
  const header = ['', 'first-come', 'fairslot'];
  const body = ROWS.map((r) => [r.label, r.value(c.fcfs), r.value(c.fairslot)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function markdownTable(c: Comparison): string {
  const lines = ['| | first-come | fairslot |', '|---|---:|---:|'];
  for (const r of ROWS) lines.push(`| ${r.label} | ${r.value(c.fcfs)} | ${r.value(c.fairslot)} |`);
  return lines.join('\n');
}
