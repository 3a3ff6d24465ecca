// npm run verify-draw -- <office> <date> [--url URL] [--file draw.json] [--log | --no-log]
//                        [--since-head FILE] [--save-head FILE] [--trust-chain HASH]... [--require-anchor]
// Fetches only the published record of a draw and checks everything in it (docs/draw-spec.md) with the
// same pure module the public page uses, and the draw against the server's signed transparency log
// (src/cli/log-check.ts; a --file record only with --log). Prints MATCH, or what differs; exits 1 on any
// mismatch.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { recordFacts } from '../domain/log-verify.ts';
import { type PublishedDraw, verifyPublishedDraw } from '../domain/verify.ts';
import { checkDrawLog, LogFetchError } from './log-check.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      file: { type: 'string' },
      log: { type: 'boolean', default: false },
      'since-head': { type: 'string' },
      'save-head': { type: 'string' },
      'no-log': { type: 'boolean', default: false },
      'trust-chain': { type: 'string', multiple: true },
      'require-anchor': { type: 'boolean', default: false },
    },
  });
  let draw: PublishedDraw;
  if (values.file) {
    draw = JSON.parse(readFileSync(values.file, 'utf8')) as PublishedDraw;
  } else {
    const [office, date] = positionals;
    if (!office || !date) {
      console.error(
        'usage: npm run verify-draw -- <office> <date YYYY-MM-DD> [--url URL] | --file draw.json  ' +
          '[--log | --no-log] [--since-head FILE] [--save-head FILE] [--trust-chain HASH] [--require-anchor]',
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
  const report = verifyPublishedDraw(draw, {
    hash: (data) => createHash('sha256').update(data).digest(),
    trustedChains: values['trust-chain'] ?? [],
    requireAnchor: values['require-anchor'],
  });
  console.log(`draw ${draw.drawId} (target day ${draw.targetDate}), ${draw.entries?.length ?? 0} entries`);
  for (const c of report.checks)
    console.log(
      `  ${c.warning ? 'WARN' : c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok && !c.warning ? '' : `: ${c.detail}`}`,
    );
  let logOk = true;
  // A record fetched from a server is checked against that server's log unless told not to.
  const withLog = !values['no-log'] && (!values.file || values.log);
  if (withLog || values['since-head'] || values['save-head']) {
    const [office, date] = positionals;
    const drawId = office && date && !values.file ? `${office}:${date}` : draw.drawId;
    const log = await checkDrawLog({
      baseUrl: values.url!,
      drawId,
      record: recordFacts(draw),
      sinceHead: values['since-head'],
      saveHead: values['save-head'],
    });
    console.log(`transparency log: head of ${log.head.treeSize} leaves, key ${log.head.keyId}`);
    for (const c of log.checks)
      console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
    if (log.development)
      console.log('  note: the server signs with the public development key, so its heads prove nothing');
    if (log.savedTo) console.log(`  saved the head to ${log.savedTo}`);
    else if (values['save-head']) console.log('  did not save the head: it did not verify');
    logOk = log.ok;
  }
  if (report.match && logOk) {
    console.log('MATCH');
    return 0;
  }
  const why = !report.match ? report.firstDifference : 'the transparency log does not confirm this draw';
  console.log(`MISMATCH${why ? `: ${why}` : ''}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(
      err instanceof LogFetchError
        ? `verify-draw: ${err.message}`
        : `verify-draw failed: ${err instanceof Error ? err.message : err}`,
    );
    process.exit(2);
  },
);
