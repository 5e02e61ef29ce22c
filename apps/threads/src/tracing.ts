import { startTracingFromConfig } from '@forum/telemetry';

// Imported first by main.ts: the instrumentations must be in place before koa, http and pg load.
startTracingFromConfig('threads');
