/**
 * The catalogue of problem types this API answers with. The code is the stable identifier
 * clients branch on; the URN in `type` is derived from it (RFC 9457 allows any URI there).
 */
export const problemCatalog = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  bad_request: { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Resource not found' },
  route_not_found: { status: 404, title: 'Route not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unknown_reference: { status: 422, title: 'Referenced resource does not exist' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  internal_error: { status: 500, title: 'Internal server error' },
  // These 5xx details are written by us and name no internals, so clients see them.
  upstream_error: { status: 502, title: 'Upstream service answered with an error', expose: true },
  service_unavailable: { status: 503, title: 'Service unavailable', expose: true },
  upstream_unavailable: { status: 503, title: 'Upstream service unavailable', expose: true },
  upstream_timeout: { status: 504, title: 'Upstream service timed out', expose: true },
  // The local ALB's own answers, in the same format.
  bad_gateway: { status: 502, title: 'Bad gateway', expose: true },
  gateway_timeout: { status: 504, title: 'Gateway timeout', expose: true },
} as const satisfies Record<string, { status: number; title: string; expose?: boolean }>;

export type ProblemCode = keyof typeof problemCatalog;

export const problemTypeUri = (code: ProblemCode): string => `urn:forum:problem:${code.replace(/_/g, '-')}`;
