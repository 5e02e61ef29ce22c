import { AppError, type FieldError } from './app-error';
import { problemCatalog, problemTypeUri } from './problem-codes';

/** The RFC 9457 problem details document every failure is rendered as. */
export interface Problem {
  type: string;
  code: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Renders an AppError; a 5xx never carries its internal message. */
export function toProblem(error: AppError, context: { instance?: string; requestId?: string } = {}): Problem {
  const { title } = problemCatalog[error.code];
  return {
    type: problemTypeUri(error.code),
    code: error.code,
    title,
    status: error.status,
    detail: error.expose ? error.message : title,
    ...(context.instance ? { instance: context.instance } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(error.errors && error.expose ? { errors: error.errors } : {}),
  };
}
