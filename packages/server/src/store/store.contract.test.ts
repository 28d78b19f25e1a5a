// The storage contract, run on every backend (STYLE.md principle 8; the Kysely model): SQLite and
// PostgreSQL must behave identically, down to the numbers they hand back.
import { describe } from 'node:test';
import { backends } from './test-backends.ts';
import { auditContract } from './store-contract/audit.ts';
import { auditTemplatesContract } from './store-contract/audit-templates.ts';
import { authThrottleContract } from './store-contract/auth-throttle.ts';
import { authCodesContract } from './store-contract/auth-codes.ts';
import { bigintContract } from './store-contract/bigint.ts';
import { consoleSessionLimitContract, consoleSessionsContract } from './store-contract/console-sessions.ts';
import { directoryContract } from './store-contract/directory.ts';
import { dpopJtisContract } from './store-contract/dpop-jtis.ts';
import { loginSessionsContract } from './store-contract/login-sessions.ts';
import { mfaDevicesContract } from './store-contract/mfa-devices.ts';
import { migrationsContract } from './store-contract/migrations.ts';
import { settingsContract } from './store-contract/settings.ts';
import { transactionsContract } from './store-contract/transactions.ts';
import { iamContract } from './store-contract/iam.ts';
import { organizationsContract } from './store-contract/organizations.ts';
import { federationContract } from './store-contract/federation.ts';
import { stsSessionsContract } from './store-contract/sts-sessions.ts';

const contract = [
  migrationsContract,
  directoryContract,
  consoleSessionsContract,
  authCodesContract,
  loginSessionsContract,
  transactionsContract,
  dpopJtisContract,
  auditContract,
  auditTemplatesContract,
  settingsContract,
  bigintContract,
  consoleSessionLimitContract,
  mfaDevicesContract,
  authThrottleContract,
  iamContract,
  organizationsContract,
  federationContract,
  stsSessionsContract,
];

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    for (const section of contract) section(backend);
  });
}
