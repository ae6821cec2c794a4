import { monotonicFactory } from 'ulidx';

/**
 * Sortable ids (ULID). Monotonic within a process: two ids made in the same millisecond (or under a
 * clock a test holds still) still sort in the order they were made — audit events and the outbox rely
 * on that.
 */
export const newId: (seedTime?: number) => string = monotonicFactory();
