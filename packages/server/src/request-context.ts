// Where a request came from, as the audit trail records it (CloudTrail's sourceIPAddress,
// userAgent, requestID and tlsDetails). Its own module: every endpoint passes one, and the
// CloudTrail record is only one of the places that reads it.
export interface RequestContext {
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Present when the request arrived over TLS. */
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}
