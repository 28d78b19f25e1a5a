// `keyless audit …`: the audit trail straight from the database, one JSON value per line for jq.
//   lookup  the records LookupEvents would return (any page size; every account unless --account)
//   tail    the latest records, oldest first; --follow keeps printing new ones as they commit
//   export  write the pending CloudTrail log files now (what `keyless serve` does every 5 minutes)
import type { Command } from 'commander';
import { exportPending } from '../audit/export.ts';
import { indexPending } from '../audit/indexer.ts';
import { summaryOf } from '../cloudtrail/lookup-events.ts';
import { loadConfig } from '../config/config.ts';
import { systemSources } from '../compose.ts';
import { AdminError } from '../directory/directory-admin.ts';
import type { AuditLookup, LookupKey } from '../store/repos/audit-events.ts';
import { openStore, type AuditEventRow, type Store } from '../store/store.ts';

interface Io {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  /** Resolves when the user interrupts (Ctrl-C): `tail --follow` stops then. Called only by --follow. */
  interrupted?: () => Promise<void>;
}

const DAY = 24 * 3600_000;
const ATTRIBUTE_OPTIONS: Array<[string, LookupKey, string]> = [
  ['--event-id <id>', 'EventId', 'eventId'],
  ['--event-name <name>', 'EventName', 'eventName'],
  ['--read-only <true|false>', 'ReadOnly', 'readOnly'],
  ['--username <name>', 'Username', 'username'],
  ['--resource-type <type>', 'ResourceType', 'resourceType'],
  ['--resource-name <name>', 'ResourceName', 'resourceName'],
  ['--event-source <source>', 'EventSource', 'eventSource'],
  ['--access-key-id <id>', 'AccessKeyId', 'accessKeyId'],
];

/** An instant: ISO 8601, epoch seconds, or a duration ago (`90m`, `12h`, `7d`). */
export function parseInstant(text: string, now: number): number {
  const ago = /^(\d+)([smhd])$/.exec(text);
  if (ago) return now - Number(ago[1]) * { s: 1000, m: 60_000, h: 3600_000, d: DAY }[ago[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new AdminError(`${JSON.stringify(text)} is not a time: give ISO 8601 (2026-11-23T20:00:00Z), epoch seconds, or an age like 90m, 12h, 7d.`);
  return parsed;
}

async function withStore<T>(io: Io, dataDir: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(io.env, { dataDir }).database);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const newestFirst = (a: AuditEventRow, b: AuditEventRow) => b.event_time - a.event_time || Number(b.seq) - Number(a.seq);

/** Up to `max` events of one account, newest first, paging as LookupEvents does. */
async function lookupAccount(store: Store, query: Omit<AuditLookup, 'limit' | 'after'>, max: number) {
  const events = [];
  let after: AuditLookup['after'];
  while (events.length < max) {
    const want = Math.min(500, max - events.length);
    const page = await store.read((rs) => rs.audit.lookup({ ...query, after, limit: want }));
    events.push(...page);
    const last = page.at(-1);
    if (!last || page.length < want) break;
    after = { time: last.event_time, seq: Number(last.seq) };
  }
  return events;
}

export function registerAudit(program: Command, io: Io): void {
  const audit = program.command('audit').description('read and export the audit trail (talks to the database directly)');
  audit.option('--data-dir <dir>', 'data directory (default: KEYLESS_DATA_DIR or ~/.keyless)');
  const dataDir = () => audit.opts<{ dataDir?: string }>().dataDir;
  const print = (value: unknown) => io.out(JSON.stringify(value) + '\n');

  const lookup = audit
    .command('lookup')
    .description('print the CloudTrail records matching one attribute, newest first, one per line')
    .option('--account <id>', 'only this account (default: every account)')
    .option('--start <time>', 'from (inclusive): ISO 8601, epoch seconds, or an age like 12h (default 90 days before --end)')
    .option('--end <time>', 'until (inclusive), same forms (default now)')
    .option('--max <n>', 'at most this many records (default 50)', (v) => Number(v))
    .option('--summary', "print LookupEvents' summary objects (EventId, EventName, …, CloudTrailEvent) instead of the records");
  for (const [flag, key] of ATTRIBUTE_OPTIONS) lookup.option(flag, `only events whose ${key} is this`);
  lookup.action(async (o: Record<string, string | number | boolean | undefined>) => {
    const given = ATTRIBUTE_OPTIONS.filter(([, , name]) => o[name] !== undefined);
    if (given.length > 1) throw new AdminError('Give at most one attribute, as LookupEvents takes (for example --event-name, or --username).');
    const [attributeOption] = given;
    const attribute = attributeOption && { key: attributeOption[1], value: String(o[attributeOption[2]]) };
    if (attribute?.key === 'ReadOnly' && !['true', 'false'].includes(attribute.value)) throw new AdminError('--read-only is true or false.');
    const max = o.max === undefined ? 50 : Number(o.max);
    if (!Number.isInteger(max) || max < 1) throw new AdminError('--max is a positive whole number.');
    const now = systemSources().clock.now();
    const end = o.end === undefined ? now : parseInstant(String(o.end), now);
    const start = o.start === undefined ? end - 90 * DAY : parseInstant(String(o.start), now);
    if (start > end) throw new AdminError('--start is after --end.');
    await withStore(io, dataDir(), async (store) => {
      await indexPending(store);
      const accounts = o.account ? [String(o.account)] : (await store.read((rs) => rs.directory.listAccounts())).map((a) => a.id);
      const found = (await Promise.all(accounts.map((accountId) => lookupAccount(store, { accountId, attribute, start, end }, max)))).flat();
      for (const event of found.sort(newestFirst).slice(0, max)) print(o.summary ? { ...summaryOf(event), EventTime: new Date(event.event_time).toISOString() } : JSON.parse(event.record));
    });
  });

  audit
    .command('tail')
    .description('print the latest records, oldest first, one per line; --follow keeps printing new ones')
    .option('--account <id>', 'only this account')
    .option('-n, --lines <n>', 'how many of the latest to print first (default 10)', (v) => Number(v))
    .option('-f, --follow', 'keep running and print each new record as it commits')
    .option('--interval <ms>', 'how often --follow looks for new records (default 1000)', (v) => Number(v))
    .action(async (o: { account?: string; lines?: number; follow?: boolean; interval?: number }) => {
      const lines = o.lines ?? 10;
      if (!Number.isInteger(lines) || lines < 0) throw new AdminError('--lines is a whole number.');
      await withStore(io, dataDir(), async (store) => {
        const latest = (await store.read((rs) => rs.audit.list({ accountId: o.account, limit: lines }))).reverse();
        // Follow by seq, not time: every commit gets a higher seq (SQLite; on PostgreSQL an event
        // may commit after a higher one, and is then printed when seen, a little out of order).
        let seq = Math.max(latest.length ? Number(latest.at(-1)!.seq) : 0, lines === 0 ? await store.read((rs) => rs.audit.lastSeq()) : 0);
        for (const event of latest) print(JSON.parse(event.record));
        if (!o.follow) return;
        let stopped = false;
        const interrupted = io.interrupted?.() ?? new Promise<void>(() => {});
        void interrupted.then(() => (stopped = true));
        while (!stopped) {
          const fresh = await store.read((rs) => rs.audit.listAfter(seq, 500, o.account));
          for (const event of fresh) print(JSON.parse(event.record));
          if (fresh.length > 0) seq = Number(fresh.at(-1)!.seq);
          if (fresh.length < 500) await Promise.race([new Promise((resolve) => setTimeout(resolve, o.interval ?? 1000)), interrupted]);
        }
      });
    });

  audit
    .command('export')
    .description('write the pending CloudTrail log files now (KEYLESS_AUDIT_EXPORT_DIR, or --dir)')
    .option('--dir <dir>', 'export root (default KEYLESS_AUDIT_EXPORT_DIR)')
    .action(async (o: { dir?: string }) => {
      const dir = o.dir ?? loadConfig(io.env, { dataDir: dataDir() }).auditExportDir;
      if (!dir) throw new AdminError('Give the export directory with --dir, or set KEYLESS_AUDIT_EXPORT_DIR.');
      const result = await withStore(io, dataDir(), (store) => exportPending({ store, clock: systemSources().clock, dir }));
      print(result);
    });
}
