// Manual look at the pages with data in them: `npx tsx tests/e2e/dev-server.ts` starts a test system on
// a free port with the demo offices, an applicant with one won entry and an admin (admin / the password
// below), prints the URL and runs until Ctrl-C. Not a test; vitest only picks up *.test.ts.
import { exampleNik } from '../../src/domain/nik.ts';
import { call, signInApplicant } from '../support/system.ts';
import { startWebSystem } from './support.ts';

const web = await startWebSystem();
const { sys } = web;
await sys.deps.users.create(
  { username: 'admin', role: 'admin', officeId: null },
  'correct horse battery staple',
);
await sys.deps.users.create(
  { username: 'petugas', role: 'officer', officeId: 'jakarta-selatan' },
  'correct horse battery staple',
);
const headers = await signInApplicant(sys, '081234567890');
const person = await call(
  sys,
  'POST',
  '/api/me/persons',
  {
    nik: exampleNik({ birthDate: '1990-08-17', sex: 'F', serial: 7 }),
    name: 'Siti Aminah',
    birthDate: '1990-08-17',
  },
  headers,
);
const { powFor } = await import('../support/system.ts');
await call(
  sys,
  'POST',
  '/api/me/entries',
  {
    personId: person.body.person.id,
    officeId: 'jakarta-selatan',
    prefs: ['pagi-2'],
    pow: await powFor(sys, 'entry'),
  },
  headers,
);
await sys.deps.drawControl.runNow('jakarta-selatan', '2026-11-30');
console.log(`${web.url}  (applicant cookie: ${headers.cookie})`);
process.on('SIGINT', () => void web.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => void web.stop().then(() => process.exit(0)));
