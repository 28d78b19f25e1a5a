// STS on `POST /` (and presigned `GET /?Action=…`), routed by protocol: query (form body,
// `Action=`), answered in query XML, or JSON 1.0 (`X-Amz-Target`), answered in JSON. Every request
// is SigV4-verified against the credentials Keyless issued.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SigV4Error, verifySigV4 } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import { callerIdentityOf } from '../sts/caller-identity.ts';
import type { CallerLookup } from '../sts/credential-lookup.ts';
import { formFields } from './body.ts';

export interface StsDeps {
  clock: Clock;
  callers: CallerLookup;
}

const STS_VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;
const JSON_TARGET_PREFIX = 'AWSSecurityTokenServiceV20110615.';
const MAX_BODY_BYTES = 64 * 1024;

type Protocol = 'query' | 'json';

class StsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function sendError(reply: FastifyReply, protocol: Protocol, error: { code: string; status: number; message: string }, requestId: string): FastifyReply {
  if (protocol === 'json') {
    return reply
      .code(error.status)
      .header('x-amzn-query-error', `${error.code};Sender`)
      .type('application/x-amz-json-1.0')
      .send(JSON.stringify({ __type: `com.amazonaws.sts#${error.code}`, message: error.message }));
  }
  const xml = `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${escapeXml(error.code)}</Code>\n    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return reply.code(error.status).type('text/xml').send(xml);
}

function protocolOf(request: FastifyRequest): Protocol {
  return request.headers['x-amz-target'] !== undefined ? 'json' : 'query';
}

/** The operation a request names: `Action` of the query or form body, or the JSON target. */
function operationOf(request: FastifyRequest, protocol: Protocol, body: Buffer): string {
  if (protocol === 'json') {
    const target = String(request.headers['x-amz-target']);
    if (!target.startsWith(JSON_TARGET_PREFIX)) throw new StsError('UnknownOperationException', 400, 'The X-Amz-Target names no STS operation.');
    return target.slice(JSON_TARGET_PREFIX.length);
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const contentType = String(request.headers['content-type'] ?? '').split(';')[0]!.trim();
  const params = request.method === 'POST' && contentType === 'application/x-www-form-urlencoded' ? formFields(body.toString('utf8'), (m) => new StsError('InvalidParameterValue', 400, m)) : {};
  const fromQuery = new URLSearchParams(query);
  const action = params.Action ?? fromQuery.get('Action') ?? undefined;
  const version = params.Version ?? fromQuery.get('Version') ?? undefined;
  if (!action) throw new StsError('MissingAction', 400, 'The request must contain the parameter Action.');
  if (version !== STS_VERSION) throw new StsError('InvalidAction', 400, `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}.`);
  return action;
}

export async function stsRoutes(app: FastifyInstance, deps: StsDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    const protocol = protocolOf(request);
    if (error instanceof SigV4Error) {
      if (error.debug) request.log.info({ sigv4: error.debug }, 'signature mismatch');
      return sendError(reply, protocol, { code: error.code, status: error.status, message: error.message }, request.id);
    }
    if (error instanceof StsError) return sendError(reply, protocol, error, request.id);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return sendError(reply, protocol, { code: 'InvalidRequest', status: 400, message: 'The request is malformed.' }, request.id);
    request.log.error({ err: error }, 'sts request failed');
    return sendError(reply, protocol, { code: 'InternalFailure', status: 500, message: 'The request processing has failed because of an unknown error.' }, request.id);
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const protocol = protocolOf(request);
    const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
    const operation = operationOf(request, protocol, body);
    const queryIndex = request.url.indexOf('?');
    const verified = await verifySigV4(
      {
        method: request.method,
        path: queryIndex < 0 ? request.url : request.url.slice(0, queryIndex),
        query: queryIndex < 0 ? '' : request.url.slice(queryIndex + 1),
        // Distinct values: a header sent twice must be canonicalised the way its signer saw it.
        headers: request.raw.headersDistinct,
        body,
      },
      { now: new Date(deps.clock.now()), service: 'sts', lookupSecret: deps.callers.lookupSecret },
    );
    if (operation !== 'GetCallerIdentity') {
      throw new StsError('AccessDenied', 403, `Keyless's STS implements GetCallerIdentity only, not ${operation}.`);
    }
    const found = await deps.callers.find(verified.accessKeyId);
    if (!found) throw new StsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
    const identity = callerIdentityOf(found.session);
    if (protocol === 'json') {
      return reply.type('application/x-amz-json-1.0').send(JSON.stringify({ UserId: identity.userId, Account: identity.account, Arn: identity.arn }));
    }
    const xml = `<GetCallerIdentityResponse xmlns="${XMLNS}">\n  <GetCallerIdentityResult>\n    <Arn>${escapeXml(identity.arn)}</Arn>\n    <UserId>${escapeXml(identity.userId)}</UserId>\n    <Account>${identity.account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${request.id}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
    return reply.type('text/xml').send(xml);
  };

  app.post('/', handle);
  // A browser opening the server's root lands in the console; a presigned STS URL is answered.
  app.get('/', (request, reply) => (/[?&]Action=/.test(request.url) || /X-Amz-Signature=/.test(request.url) ? handle(request, reply) : reply.redirect('/console', 302)));
}
