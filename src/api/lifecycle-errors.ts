// Lifecycle refusals become the API's error shape.
import { ApiError } from '../http/errors.ts';
import { LifecycleError } from '../services/lifecycle/index.ts';

export async function asApi<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof LifecycleError) throw new ApiError(err.status, err.code, err.message);
    throw err;
  }
}
