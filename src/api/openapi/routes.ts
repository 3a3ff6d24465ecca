// Every route the app serves, as data: who may call it, what it takes and what it answers. The OpenAPI
// document is built from this table (src/api/openapi.ts); tests/api/openapi.test.ts checks the table
// against the routes actually registered on the app.
import type { Operation } from './operation.ts';
import { publicOperations } from './routes-public.ts';
import { staffOperations } from './routes-staff.ts';

export type { Auth, Method, Operation } from './operation.ts';

export const operations: Operation[] = [...publicOperations, ...staffOperations];
