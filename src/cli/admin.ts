// npm run admin -- <command>
//   create-user <username> --role admin|officer [--office ID]   (password from FAIRSLOT_PASSWORD or stdin)
//   create-token <username> [--label TEXT]
//   list-users
//   nik-key-status   persons by NIK hashing key (how far a key rotation has got; reads every person)
// Talks to the same Redis as the server (REDIS_URL, or the embedded one's data under DATA_DIR).
import { parseArgs } from 'node:util';
import { nikKeyId } from '../auth/identity.ts';
import { loadConfig } from '../config.ts';
import { createRedis } from '../redis/connection.ts';
import { locateRedis } from '../redis/locate.ts';
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

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      office: { type: 'string' },
      label: { type: 'string', default: 'cli' },
    },
  });
  const [command, username] = positionals;
  const config = loadConfig();
  const { url, embedded } = await locateRedis(config);
  const redis = createRedis(url);
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
        console.error(
          'usage: npm run admin -- create-user <name> --role admin|officer [--office ID] | create-token <name> | list-users | nik-key-status',
        );
        return 2;
    }
  } finally {
    redis.disconnect();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`admin: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
