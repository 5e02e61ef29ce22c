import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@forum/service-client');

/**
 * Runs one call to another service in a client span and hands it the headers that carry the
 * trace there (traceparent, X-Amzn-Trace-Id). undici is not instrumented by the HTTP
 * instrumentation, so this is where the trace crosses services. With tracing off the span is
 * a no-op and there are no headers.
 */
export function traced<T extends { status: number }>(
  method: string,
  service: string,
  call: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${method} ${service}`,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'peer.service': service } },
    async (span) => {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      try {
        const answer = await call(headers);
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return answer;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
