// Test-only helpers for databases, imported as `@forum/db/testing` by specs (a type:testing
// project: the module-boundary rule refuses it to production code).
export * from './test-targets';
export * from './tcp-proxy';
export { createTestCa, issueServerCertificate, startTlsFront, type TestCertificate, type TlsFront } from './tls-front';
