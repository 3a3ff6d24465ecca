// npm run verify-draw -- <office> <date> [--url URL] [--file draw.json]
// Fetches only the published record of a draw and recomputes it with the same pure module the public
// page uses. Prints MATCH, or what differs; exits 1 on any mismatch.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PublishedDraw, verifyPublishedDraw } from '../domain/verify.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string', default: 'http://127.0.0.1:3000' }, file: { type: 'string' } },
  });
  let draw: PublishedDraw;
  if (values.file) {
    draw = JSON.parse(readFileSync(values.file, 'utf8')) as PublishedDraw;
  } else {
    const [office, date] = positionals;
    if (!office || !date) {
      console.error(
        'usage: npm run verify-draw -- <office> <date YYYY-MM-DD> [--url URL] | --file draw.json',
      );
      return 2;
    }
    const url = `${values.url!.replace(/\/$/, '')}/api/draws/${encodeURIComponent(office)}/${encodeURIComponent(date)}`;
    const res = await fetch(url);
    if (!res.ok) {
      console.error(`could not fetch ${url}: HTTP ${res.status}`);
      return 2;
    }
    draw = (await res.json()) as PublishedDraw;
  }
  // Same bytes as the page's pure-JS SHA-256 (verify.ts's default), many times faster under Node.
  const report = verifyPublishedDraw(draw, (data) => createHash('sha256').update(data).digest());
  console.log(`draw ${draw.drawId} (target day ${draw.targetDate}), ${draw.entries?.length ?? 0} entries`);
  for (const c of report.checks)
    console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  if (report.match) {
    console.log('MATCH');
    return 0;
  }
  console.log(`MISMATCH${report.firstDifference ? `: ${report.firstDifference}` : ''}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`verify-draw failed: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  },
);
