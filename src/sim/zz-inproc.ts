import { compare } from './compare.ts';
import { loadScenario } from './scenario.ts';

const s = loadScenario(process.argv[2]!);
process.stdout.write(`${JSON.stringify(await compare(s))}\n`);
