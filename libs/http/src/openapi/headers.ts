/** Response headers the API sets, as OpenAPI header components (referenced by name). */
export const headerComponents = {
  'X-Request-Id': {
    required: true,
    description: "The id this request is logged under: the caller's X-Request-Id, or else the ALB's X-Amzn-Trace-Id, or a new one.",
    schema: { type: 'string' },
  },
  ETag: {
    required: true,
    description: 'A strong validator of the representation; send it back as If-None-Match to get 304.',
    schema: { type: 'string' },
  },
  'Cache-Control': { required: true, description: 'The caching rule of this answer.', schema: { type: 'string' } },
  Location: { required: true, description: 'The path of the resource just created.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[0-9]+$' } },
  'WWW-Authenticate': { description: 'The authentication scheme expected: Bearer.', schema: { type: 'string' } },
} as const;

export type HeaderName = keyof typeof headerComponents;

export const headerRefs = (names: HeaderName[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
