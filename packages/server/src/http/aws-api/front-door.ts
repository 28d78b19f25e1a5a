// `POST /` (and presigned `GET /?…`): the AWS API front door. Steps: find the service from the
// SigV4 credential scope or `X-Amz-Target`, verify the signature, find the caller, parse the
// protocol's input, run the operation, serialise. Errors are serialised here only, per protocol.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidClientTokenId, SigV4Error, verifySigV4, type VerifiedSigV4Request } from '@keyless/protocol';
import type { Clock } from '../../clock.ts';
import type { CallerLookup, KnownCredential } from '../../sts/credential-lookup.ts';
import { formFields } from '../body.ts';
import { RateLimitExceeded } from '../rate-limits.ts';
import { requestContextOf } from '../request-context.ts';
import { AwsServiceError, jsonShapeOf } from '../../aws-api/errors.ts';
import { escapeXml, targetOperation, type AuthenticatedCaller, type AwsProtocol, type AwsResult, type AwsService } from '../../aws-api/service.ts';
import { noteWireError } from '../access-log.ts';
import { databaseUnavailable } from '../database-unavailable.ts';

export interface FrontDoorDeps {
  clock: Clock;
  callers: CallerLookup;
  services: AwsService[];
}

const MAX_BODY_BYTES = 256 * 1024;
/** The query protocol's form body and the JSON protocols' bodies. */
const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1'];

interface Routed {
  service: AwsService;
  protocol: AwsProtocol;
}

/** The signing name in `Credential=AKID/date/region/SERVICE/aws4_request` (header or presigned query). */
function scopeService(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  const fromHeader = typeof auth === 'string' ? /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] : undefined;
  if (fromHeader) return fromHeader;
  const credential = new URLSearchParams(request.url.split('?')[1] ?? '').get('X-Amz-Credential');
  return credential?.split('/')[3];
}

function route(request: FastifyRequest, services: AwsService[]): Routed | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const service = services.find((s) => targetOperation(s, target) !== undefined);
    return service && { service, protocol: 'json' };
  }
  const name = scopeService(request);
  const service = services.find((s) => s.signingName === name && s.query) ?? services.find((s) => s.signingName === 'sts');
  return service && { service, protocol: 'query' };
}

function sendError(reply: FastifyReply, routed: Routed | undefined, error: { code: string; status: number; message: string; type?: string }, requestId: string) {
  noteWireError(reply, error.code, error);
  if (routed?.protocol === 'json' && routed.service.json) {
    return reply
      .code(error.status)
      .header('x-amzn-query-error', `${error.code};${error.type ?? 'Sender'}`)
      .type(routed.service.json.contentType)
      .send(JSON.stringify({ __type: `${routed.service.json.errorNamespace}#${jsonShapeOf(error.code)}`, message: error.message }));
  }
  const xmlns = routed?.service.query?.xmlns ?? 'https://sts.amazonaws.com/doc/2011-06-15/';
  const xml = `<ErrorResponse xmlns="${xmlns}">\n  <Error>\n    <Type>${error.type ?? 'Sender'}</Type>\n    <Code>${escapeXml(error.code)}</Code>\n    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return reply.code(error.status).type('text/xml').send(xml);
}

/** Operation and input of a query-protocol request: form body on POST, else the query string. */
function queryInput(request: FastifyRequest, body: Buffer, version: string): { operation: string; input: Record<string, string> } {
  const contentType = String(request.headers['content-type'] ?? '').split(';')[0]!.trim();
  const fields =
    request.method === 'POST' && contentType === 'application/x-www-form-urlencoded'
      ? formFields(body.toString('utf8'), (m) => new AwsServiceError('InvalidParameterValue', m))
      : Object.fromEntries(new URLSearchParams(request.url.split('?')[1] ?? ''));
  const { Action: operation, Version: given } = fields;
  // Null prototype: the client names the keys, and `constructor` must be a parameter like any other.
  const input: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(fields)) if (key !== 'Action' && key !== 'Version' && !key.startsWith('X-Amz-')) input[key] = value;
  if (!operation) throw new AwsServiceError('MissingAction', 'The request must contain the parameter Action.');
  if (given !== version) throw new AwsServiceError('InvalidAction', `Could not find operation ${operation} for version ${given ?? 'NO_VERSION_SPECIFIED'}.`);
  return { operation, input };
}

function jsonInput(request: FastifyRequest, body: Buffer, service: AwsService): { operation: string; input: Record<string, unknown> } {
  const operation = targetOperation(service, String(request.headers['x-amz-target']))!;
  const text = body.toString('utf8').trim();
  let input: unknown = {};
  try {
    input = text ? JSON.parse(text) : {};
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AwsServiceError('SerializationException', 'The request body must be a JSON object.');
  return { operation, input: input as Record<string, unknown> };
}

/** Whether the request carries SigV4 at all: an Authorization header, or a presigned URL's parameters. */
function carriesSignature(request: FastifyRequest): boolean {
  if (request.headers.authorization !== undefined) return true;
  const query = request.url.split('?')[1] ?? '';
  return /(?:^|&)X-Amz-(?:Signature|Credential|Algorithm)=/i.test(query);
}

/**
 * The operation an unsigned request names when it is one its service answers unsigned; undefined
 * otherwise, whatever else is wrong with it (the request then meets authentication, and learns
 * only MissingAuthenticationToken).
 */
function unsignedOperation(request: FastifyRequest, body: Buffer, routed: Routed): { operation: string; input?: Record<string, string> } | undefined {
  const unsigned = routed.service.unsigned;
  if (!unsigned || carriesSignature(request)) return undefined;
  let found: { operation: string; input?: Record<string, string> } | undefined;
  if (routed.protocol === 'json') {
    const operation = targetOperation(routed.service, String(request.headers['x-amz-target']));
    found = operation === undefined ? undefined : { operation };
  } else {
    try {
      // The query input is parsed once: the operation and its parameters, kept for the handler.
      found = queryInput(request, body, routed.service.query!.version);
    } catch {
      return undefined;
    }
  }
  return found && unsigned.operations.has(found.operation) ? found : undefined;
}

export async function awsFrontDoor(app: FastifyInstance, deps: FrontDoorDeps): Promise<void> {
  /**
   * SigV4 against credentials Keyless issued; one read serves both the verification and the
   * caller's identity. An operation AWS serves unsigned (STS AssumeRoleWithWebIdentity) is let
   * through before this by its service's explicit list (`unsigned`), never by default.
   */
  const authenticate = async (request: FastifyRequest, body: Buffer, signingName: string): Promise<{ verified: VerifiedSigV4Request; found: KnownCredential }> => {
    const queryIndex = request.url.indexOf('?');
    let found: KnownCredential | undefined;
    const verified = await verifySigV4(
      {
        method: request.method,
        path: queryIndex < 0 ? request.url : request.url.slice(0, queryIndex),
        query: queryIndex < 0 ? '' : request.url.slice(queryIndex + 1),
        // Every value as received: a header sent twice must be canonicalised the way its signer saw it.
        headers: request.raw.rawHeaders,
        body,
      },
      { now: new Date(deps.clock.now()), service: signingName, lookupSecret: async (id) => deps.callers.secretOf((found = await deps.callers.find(id))) },
    );
    if (!found) throw invalidClientTokenId();
    return { verified, found };
  };

  app.removeAllContentTypeParsers();
  // Every body is kept as bytes (SigV4 hashes them). The protocols' own types are named as well as
  // '*': Fastify caches the parser it found for a named type, but looks the catch-all up anew,
  // parsing the Content-Type header, on every request.
  for (const type of [...BODY_TYPES, '*']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));
  }

  app.setErrorHandler((error, request, reply) => {
    const routed = route(request, deps.services);
    if (error instanceof SigV4Error) {
      if (error.debug) request.log.info({ sigv4: error.debug }, 'signature mismatch');
      return sendError(reply, routed, error, request.id);
    }
    if (error instanceof AwsServiceError) return sendError(reply, routed, error, request.id);
    // STS's query-compatible JSON says `Throttling` too: the service, not the protocol, decides.
    if (error instanceof RateLimitExceeded) return sendError(reply, routed, new AwsServiceError(routed?.service.query ? 'Throttling' : 'ThrottlingException', 'Rate exceeded'), request.id);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return sendError(reply, routed, new AwsServiceError('InvalidRequest', 'The request is malformed.'), request.id);
    if (databaseUnavailable(error, reply, request.log)) return sendError(reply, routed, new AwsServiceError('ServiceUnavailable', 'The service is unavailable; try again shortly.'), request.id);
    request.log.error({ err: error }, 'AWS API request failed');
    return sendError(reply, routed, new AwsServiceError('InternalFailure', 'The request processing has failed because of an unknown error.'), request.id);
  });

  const send = (request: FastifyRequest, reply: FastifyReply, service: AwsService, operation: string, result: AwsResult) => {
    if ('json' in result) return reply.type(service.json!.contentType).send(JSON.stringify(result.json ?? {}));
    const xml = `<${operation}Response xmlns="${service.query!.xmlns}">\n${result.xml ? `  <${operation}Result>\n${result.xml}  </${operation}Result>\n` : ''}  <ResponseMetadata>\n    <RequestId>${request.id}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`;
    return reply.type('text/xml').send(xml);
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const routed = route(request, deps.services);
    const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
    // The one way past authentication: an unsigned request for an operation its service lists as
    // answered unsigned (STS AssumeRoleWithWebIdentity, whose token is its credential).
    const unsigned = routed && unsignedOperation(request, body, routed);
    if (routed && unsigned) {
      const { service, protocol } = routed;
      const input = unsigned.input ?? jsonInput(request, body, service).input;
      return send(request, reply, service, unsigned.operation, await service.unsigned!.handle({ operation: unsigned.operation, protocol, input, context: requestContextOf(request) }));
    }
    // Authenticate before reading anything else (issue 14): an unsigned or badly signed request
    // learns only the authentication error, as on AWS — not which actions or versions exist.
    const { verified, found } = await authenticate(request, body, routed?.service.signingName ?? scopeService(request) ?? 'sts');
    if (!routed) throw new AwsServiceError('UnknownOperationException', 'The request names no service this server provides.');
    const { service, protocol } = routed;
    const { operation, input } = protocol === 'json' ? jsonInput(request, body, service) : queryInput(request, body, service.query!.version);
    const caller = {
      accessKeyId: verified.accessKeyId,
      session: found.session,
      region: verified.region,
      tokenIssuedAt: found.credential.issued_at,
      ...(found.scope && { scope: found.scope }),
    } as AuthenticatedCaller;
    return send(request, reply, service, operation, await service.handle({ operation, protocol, input, caller, context: requestContextOf(request) }));
  };

  app.post('/', handle);
  // A browser opening the server's root lands in the console; a presigned AWS call is answered.
  app.get('/', (request, reply) => (/[?&](Action|X-Amz-Signature)=/.test(request.url) ? handle(request, reply) : reply.redirect('/console', 302)));
}
