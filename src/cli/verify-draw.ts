// npm run verify-draw -- <office> <date> [--url URL] | --file draw.json   (--help for details)
// Fetches only the published record of a draw and checks everything in it (docs/draw-spec.md) with the
// same pure module the public page uses, and the draw against the server's signed transparency log
// (src/cli/log-check.ts; a --file record only with --log). Prints MATCH, or what differs; exits 1 on any
// mismatch, 2 when the record cannot be had.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { recordFacts } from '../domain/log-verify.ts';
import { type PublishedDraw, verifyPublishedDraw } from '../domain/verify.ts';
import { cliFetch, defaultServerUrl } from './http.ts';
import { checkDrawLog } from './log-check.ts';

const USAGE = `usage: npm run verify-draw -- <office> <date YYYY-MM-DD> [--url URL]
       npm run verify-draw -- --file draw.json
       … [--log | --no-log] [--since-head FILE] [--save-head FILE] [--audit-log]
         [--trust-chain HASH]... [--require-anchor]

Checks everything in a published draw (docs/draw-spec.md) from its public record and prints MATCH, or
what differs: spec version, draw id, the commitment made at open (seed, draw id, beacon round), the
beacon round's signature and time, every weight against the published rules, the entry list against
its digest, the counts, and every rank and session of the results.

  <office> <date>  the office id and the draw's date (the evening it ran), as the demo prints them
  --url URL        the server to fetch GET /api/draws/<office>/<date> from (default http://127.0.0.1:3000, or the PORT/HOST set as for the server)
  --file F         a saved copy of that record instead (e.g. curl -o draw.json …/api/draws/<office>/<date>),
                   to check a draw offline or long after it was published
  --log            check a --file record against the signed transparency log too (docs/transparency-log.md);
                   a fetched record is always checked against its server's log unless --no-log
  --trust-chain H  trust another drand chain besides League of Entropy quicknet (tests, private chains)
  --require-anchor refuse a draw that was not anchored to a beacon (development mode)
  --since-head F   …and that the log only grew since the head saved in F (implies --log)
  --save-head F    save the verified head to F for the next check (implies --log)
  --audit-log      audit the whole log, every leaf (implies --log)

Exit status: 0 MATCH, 1 MISMATCH, 2 the record could not be fetched or read.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: defaultServerUrl() },
      file: { type: 'string' },
      log: { type: 'boolean', default: false },
      'since-head': { type: 'string' },
      'save-head': { type: 'string' },
      'no-log': { type: 'boolean', default: false },
      'trust-chain': { type: 'string', multiple: true },
      'require-anchor': { type: 'boolean', default: false },
      'audit-log': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let draw: PublishedDraw;
  if (values.file) {
    draw = JSON.parse(readFileSync(values.file, 'utf8')) as PublishedDraw;
  } else {
    const [office, date] = positionals;
    if (!office || !date) {
      console.error(USAGE);
      return 2;
    }
    const url = `${values.url!.replace(/\/$/, '')}/api/draws/${encodeURIComponent(office)}/${encodeURIComponent(date)}`;
    const res = await cliFetch(url);
    if (!res.ok) {
      const why =
        res.status === 404
          ? ' (no such office or draw: use the date the draw ran, as the demo prints it)'
          : '';
      console.error(`could not fetch ${url}: HTTP ${res.status}${why}`);
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
  if (withLog || values['since-head'] || values['save-head'] || values['audit-log']) {
    const [office, date] = positionals;
    const drawId = office && date && !values.file ? `${office}:${date}` : draw.drawId;
    const log = await checkDrawLog({
      baseUrl: values.url!,
      drawId,
      record: recordFacts(draw),
      sinceHead: values['since-head'],
      saveHead: values['save-head'],
      auditLog: values['audit-log'],
    });
    console.log(`transparency log: head of ${log.head.treeSize} leaves, key ${log.head.keyId}`);
    for (const c of log.checks)
      console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
    if (log.audit) {
      console.log(`whole-log audit (${log.head.treeSize} leaves):`);
      for (const c of log.audit)
        console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
    }
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
    console.error(`verify-draw: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  },
);
