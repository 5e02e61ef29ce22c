/**
 * The problem types of the API's contract, written out as the README documents them (not derived
 * with the implementation's formula), so a change of any URN fails the tests that match on it.
 */
export const problemTypes: Record<string, string> = {
  validation_failed: 'urn:forum:problem:validation-failed',
  malformed_json: 'urn:forum:problem:malformed-json',
  bad_request: 'urn:forum:problem:bad-request',
  unauthorized: 'urn:forum:problem:unauthorized',
  forbidden: 'urn:forum:problem:forbidden',
  not_found: 'urn:forum:problem:not-found',
  route_not_found: 'urn:forum:problem:route-not-found',
  method_not_allowed: 'urn:forum:problem:method-not-allowed',
  request_timeout: 'urn:forum:problem:request-timeout',
  conflict: 'urn:forum:problem:conflict',
  payload_too_large: 'urn:forum:problem:payload-too-large',
  unsupported_media_type: 'urn:forum:problem:unsupported-media-type',
  unknown_reference: 'urn:forum:problem:unknown-reference',
  too_many_requests: 'urn:forum:problem:too-many-requests',
  headers_too_large: 'urn:forum:problem:headers-too-large',
  internal_error: 'urn:forum:problem:internal-error',
  upstream_error: 'urn:forum:problem:upstream-error',
  service_unavailable: 'urn:forum:problem:service-unavailable',
  upstream_unavailable: 'urn:forum:problem:upstream-unavailable',
  upstream_timeout: 'urn:forum:problem:upstream-timeout',
  bad_gateway: 'urn:forum:problem:bad-gateway',
  gateway_timeout: 'urn:forum:problem:gateway-timeout',
};

/** Matches a problem+json body of the given status and code, with the contract's type for the code. */
export const aProblem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  expect.objectContaining({
    type: problemTypes[code] ?? `no problem type is documented for ${code}`,
    code,
    status,
    title: expect.any(String),
    detail: expect.any(String),
    ...extra,
  });

/** Matches a 400 whose field errors name exactly these fields, in this order. */
export const aValidationProblem = (...fields: string[]) =>
  aProblem(400, 'validation_failed', {
    errors: fields.map((field) => expect.objectContaining({ field })),
  });
