// How policies and statements are named in decisions and explanations.
import type { PolicySource, ScpTarget } from './compile.ts';

export function describeTarget(target: ScpTarget): string {
  const name = target.name ? ` (${target.name})` : '';
  switch (target.type) {
    case 'root':
      return `the organization root ${target.id}${name}`;
    case 'ou':
      return `OU ${target.id}${name}`;
    case 'account':
      return `account ${target.id}${name}`;
  }
}

export function describeSource(source: PolicySource): string {
  switch (source.kind) {
    case 'managed':
      return `managed policy ${source.arn}`;
    case 'inline':
      return `inline policy ${source.name} on ${source.on}${source.owner ? ` ${source.owner}` : ''}`;
    case 'scp':
      return `SCP ${source.id}${source.name ? ` (${source.name})` : ''} on ${describeTarget(source.target)}`;
    case 'trust':
      return `the trust policy of ${source.role}`;
    case 'session':
      return `the session policy of ${source.session}`;
  }
}

/** `statement DenyOutsideUS`, or `Statement[3]` when it has no Sid. */
export const describeStatement = (sid: string | undefined, index: number) => (sid ? `statement ${sid}` : `Statement[${index}]`);
