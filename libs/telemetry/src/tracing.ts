import type { IncomingMessage } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface TracingSettings {
  OTEL_TRACES_EXPORTER?: 'otlp' | 'none' | undefined;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_BSP_SCHEDULE_DELAY?: number;
}

/** On when asked for by name, or by an endpoint, unless turned off by name. */
export const tracingWanted = (settings: TracingSettings): boolean =>
  settings.OTEL_TRACES_EXPORTER === 'otlp' || (settings.OTEL_TRACES_EXPORTER === undefined && settings.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined);

let provider: TracerProvider | undefined;

/**
 * Starts the OpenTelemetry SDK for this process: HTTP, Koa and PostgreSQL spans, exported in
 * batches over OTLP/HTTP. Trace context comes in as W3C `traceparent` or the ALB's
 * `X-Amzn-Trace-Id` (traceparent wins when both are there) and goes out as both. Must run
 * before koa and pg are first required, for the instrumentations to wrap them.
 */
export function startTracing(service: string, settings: TracingSettings): boolean {
  if (provider || !tracingWanted(settings)) return false;
  const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
        scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY ?? 5000,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new AWSXRayPropagator(), new W3CTraceContextPropagator()] }));
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Load-balancer health checks every few seconds would bury the traces worth reading.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req: IncomingMessage) => /\/(health|ready)$/.test(req.url?.split('?')[0] ?? '') }),
      // The route span only: one span per middleware (six of ours) cost a third of the throughput
      // on a read in the bench and says nothing the route span and the logs do not.
      new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] }),
      new PgInstrumentation(),
    ],
  });
  return true;
}

/** Sends the spans still in the batch; called before the process exits. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** The trace id of the span active here, for log lines; undefined outside a trace or when off. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}
