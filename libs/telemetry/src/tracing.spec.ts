import { trace } from '@opentelemetry/api';
import { loadConfig, tracingEntries } from '@forum/config';
import { activeTraceId, startTracing, tracingWanted } from './tracing';

describe('tracing switch', () => {
  it.each([
    [{}, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
  ])('when the environment is %j, then tracing on is %s', (environment, on) => {
    expect(tracingWanted(loadConfig(tracingEntries, environment))).toBe(on);
  });

  it('when no OTEL_* variable is set, then no SDK is started and spans are no-ops without a trace id', () => {
    expect(startTracing('posts', loadConfig(tracingEntries, {}))).toBe(false);
    const span = trace.getTracer('spec').startSpan('x');
    expect(span.isRecording()).toBe(false);
    trace.getTracer('spec').startActiveSpan('y', (active) => {
      expect(activeTraceId()).toBeUndefined();
      active.end();
    });
  });

  it('when an OTEL_* value is malformed, then the config check names it', () => {
    expect(() => loadConfig(tracingEntries, { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});
