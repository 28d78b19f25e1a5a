// The storage contract, run on every backend (STYLE.md principle 8; the Kysely model): SQLite and
// PostgreSQL must behave identically, down to the numbers they hand back.
import { describe } from 'node:test';
import { backends } from '../testing/backends.ts';
import { auditContract } from '../testing/store-contract/audit.ts';
import { auditTemplatesContract } from '../testing/store-contract/audit-templates.ts';
import { authThrottleContract } from '../testing/store-contract/auth-throttle.ts';
import { authCodesContract } from '../testing/store-contract/auth-codes.ts';
import { bigintContract } from '../testing/store-contract/bigint.ts';
import { consoleSessionLimitContract, consoleSessionsContract } from '../testing/store-contract/console-sessions.ts';
import { directoryContract } from '../testing/store-contract/directory.ts';
import { dpopJtisContract } from '../testing/store-contract/dpop-jtis.ts';
import { loginSessionsContract } from '../testing/store-contract/login-sessions.ts';
import { mfaDevicesContract } from '../testing/store-contract/mfa-devices.ts';
import { migrationsContract } from '../testing/store-contract/migrations.ts';
import { settingsContract } from '../testing/store-contract/settings.ts';
import { transactionsContract } from '../testing/store-contract/transactions.ts';
import { iamContract } from '../testing/store-contract/iam.ts';
import { organizationsContract } from '../testing/store-contract/organizations.ts';
import { federationContract } from '../testing/store-contract/federation.ts';
import { stsSessionsContract } from '../testing/store-contract/sts-sessions.ts';

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
