// npm run admin -- <command>
//   create-user <username> --role admin|officer [--office ID]   (password from FAIRSLOT_PASSWORD or stdin)
//   create-token <username> [--label TEXT]
//   list-users
//   nik-key-status   persons by NIK hashing key (how far a key rotation has got; reads every person)
// Talks to the running server's store (REDIS_URL, or the embedded Redis recorded under DATA_DIR) and
// refuses anything else; --init creates a new store (or opens a stopped server's data) instead.
import { parseArgs } from 'node:util';
import { nikKeyId } from '../auth/identity.ts';
import { loadConfig } from '../config.ts';
import { locateStore, StoreNotFoundError } from '../redis/locate.ts';
import { nikKeyCensus } from '../store/nik-key-census.ts';
import { OfficeStore } from '../store/offices.ts';
import { passwordSchema, UserStore, usernameSchema } from '../store/users.ts';

async function readPassword(): Promise<string> {
  if (process.env.FAIRSLOT_PASSWORD) return process.env.FAIRSLOT_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password (input shown; pipe it or set FAIRSLOT_PASSWORD): ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

const USAGE = `usage: npm run admin -- <command> [--init]
  create-user <name> --role admin|officer [--office ID]   password from FAIRSLOT_PASSWORD or stdin
  create-token <name> [--label TEXT]                       prints a bearer token for the API
  list-users
  nik-key-status                                           persons by NIK hashing key (key rotation)
Uses the running server's store: the same REDIS_URL, or the same DATA_DIR (default ./data) as \`npm start\`.
--init creates a new store (or opens a stopped server's data) instead of refusing.`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      office: { type: 'string' },
      label: { type: 'string', default: 'cli' },
      init: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, username] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const store = await locateStore(config, { init: values.init });
  const redis = store.redis;
  const users = new UserStore(redis);
  try {
    switch (command) {
      case 'create-user': {
        const name = usernameSchema.safeParse(username);
        if (!name.success) throw new Error(`username: ${name.error.issues[0]!.message}`);
        if (values.role !== 'admin' && values.role !== 'officer')
          throw new Error('--role must be admin or officer');
        if (values.role === 'officer') {
          if (!values.office) throw new Error('an officer needs --office ID');
          if (!(await new OfficeStore(redis).get(values.office)))
            throw new Error(`unknown office ${values.office}`);
        }
        const password = passwordSchema.safeParse(await readPassword());
        if (!password.success) throw new Error(`password: ${password.error.issues[0]!.message}`);
        const ok = await users.create(
          {
            username: name.data,
            role: values.role,
            officeId: values.role === 'officer' ? values.office! : null,
          },
          password.data,
        );
        if (!ok) throw new Error(`user ${name.data} exists`);
        console.log(`created ${values.role} ${name.data}`);
        return 0;
      }
      case 'create-token': {
        if (!username || !(await users.get(username))) throw new Error('unknown user');
        console.log(await users.createToken(username, values.label!));
        return 0;
      }
      case 'list-users': {
        for (const u of await users.list()) console.log(`${u.username}\t${u.role}\t${u.officeId ?? ''}`);
        return 0;
      }
      case 'nik-key-status': {
        const census = await nikKeyCensus(redis);
        const current = nikKeyId(config.nikHashKey);
        const previous = config.nikHashKeyPrevious ? nikKeyId(config.nikHashKeyPrevious) : null;
        const label = (id: string) =>
          id === current
            ? 'NIK_HASH_KEY'
            : id === previous
              ? 'NIK_HASH_KEY_PREVIOUS'
              : id
                ? 'another key'
                : 'no key id';
        for (const [id, n] of [...census.byKey].sort((a, b) => b[1] - a[1]))
          console.log(`${id || '-'}\t${label(id)}\t${n}`);
        console.log(`moved away (expiring)\t${census.movedAway}`);
        const left = [...census.byKey].filter(([id]) => id !== current).reduce((n, [, c]) => n + c, 0);
        console.log(
          left === 0
            ? 'every person is under NIK_HASH_KEY: NIK_HASH_KEY_PREVIOUS can be removed'
            : `${left} person(s) not under NIK_HASH_KEY yet (bindings made before key ids count here too)`,
        );
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`admin: ${err instanceof Error ? err.message : err}`);
    if (err instanceof StoreNotFoundError) process.exit(3);
    process.exit(1);
  },
);
