import type { Context } from 'koa';
import { parseId } from '@forum/contracts';
import { notFound } from '@forum/errors';

/** The id in a path parameter; a parameter that is no id cannot name a resource, so 404. */
export function pathId(ctx: Context, resource: string, param = 'id'): number {
  const raw = (ctx as Context & { params?: Record<string, string> }).params?.[param];
  const id = parseId(raw);
  if (id === undefined) throw notFound(resource, raw ?? '');
  return id;
}
