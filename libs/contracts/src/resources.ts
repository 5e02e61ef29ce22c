/** The resources as the API returns them (JSON, camelCase, ISO-8601 UTC timestamps). */

export interface User {
  id: number;
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
  updatedAt: string;
}

export interface Thread {
  id: number;
  title: string;
  authorId: number;
  createdAt: string;
  updatedAt: string;
  /** Creation of the thread or of its newest post; lists are ordered by it, newest first. */
  lastActivityAt: string;
}

export interface Post {
  id: number;
  threadId: number;
  authorId: number;
  text: string;
  createdAt: string;
  updatedAt: string;
}

/** A page of a list; pass `nextCursor` back as `?cursor=` for the next page, null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Path prefixes the ALB routes on; every route of a service lives under its prefix. */
export const servicePrefixes = {
  users: '/api/users',
  threads: '/api/threads',
  posts: '/api/posts',
} as const;

export type ServiceName = keyof typeof servicePrefixes;

/**
 * Prefixes of the calls services make to each other: outside every ALB path rule, so the ALB
 * never routes them (the local ALB answers 404) and only Service Connect reaches them.
 */
export const internalPrefixes = {
  threads: '/internal/threads',
} as const;

/**
 * The posts service's bumps of thread activity: `POST /internal/threads/activity` with
 * `{ ids }` (at most this many) moves each thread to the top of the newest-activity list and
 * answers `{ missing }`, the ids no thread has.
 */
export const MOST_THREADS_PER_BUMP = 100;
export interface ThreadsBumped {
  missing: number[];
}
