/** The floor server's only keys (one hash tag), deleted after the run. */
export const FLOOR_KEYS = ['bench-floor:{f}:entries', 'bench-floor:{f}:meta'] as const;
