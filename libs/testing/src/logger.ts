import pino from 'pino';

/** Tests log nothing unless TEST_LOG_LEVEL asks for it (then to stdout, as a service would). */
export const testLogger = () => pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
