// `keyless admin simulate --principal ARN --action A --resource R [--context key=value]…`: the
// decision and its explanation, from the same policies and engine the enforcement points use.
import type { Command } from 'commander';
import { simulate } from '../iam/admin/simulate.ts';
import { collect, keyValues, withDeps, type Io } from './admin-input.ts';

export function registerSimulate(admin: Command, io: Io, dataDir: () => string | undefined): void {
  admin
    .command('simulate')
    .description('explain whether a principal may perform an action on a resource, and which statement or SCP decided')
    .requiredOption('--principal <arn>', 'arn:aws:iam::ACCOUNT:root, …:user/NAME, …:role/NAME, or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION')
    .requiredOption('--action <action>', 'e.g. signin:CreateOAuth2Token')
    .requiredOption('--resource <arn>', 'e.g. arn:aws:signin:us-east-1:ACCOUNT:oauth2/public-client/localhost')
    .option('--context <key=value>', 'a condition key (aws:SourceIp=203.0.113.7); repeat a key for a list', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { principal: string; action: string; resource: string; context: string[]; json?: boolean }) => {
      const context = keyValues(o.context, 'The context key');
      const result = await withDeps(io, dataDir(), (deps) => simulate(deps, { principalArn: o.principal, action: o.action, resource: o.resource, context }));
      if (o.json) {
        io.out(JSON.stringify({ decision: result.effect, allowed: result.allowed, reason: result.reason, decidedBy: result.decision?.decidedBy, matched: result.decision?.matched ?? [] }) + '\n');
      } else {
        io.out(result.explanation + '\n');
      }
      // Like `aws iam simulate-principal-policy` in a script: the answer is the output, not the status.
    });
}
