// Node's codes for a server certificate it does not trust or that names another host.
const certificateCodes = /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)$/;

export function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && certificateCodes.test(code);
}

/** A refused certificate is a configuration problem, never retried and never downgraded to plain TCP. */
export function certificateRefused(error: unknown): Error {
  const { code, message } = error as { code: string; message: string };
  return Object.assign(
    new Error(
      `The database server's TLS certificate was refused (${code}: ${message}). With DB_SECRET it must be signed by a CA in DB_CA_FILE and name the host; with DATABASE_URL, by the sslrootcert file.`,
      { cause: error },
    ),
    { code: 'database_certificate_refused' },
  );
}
