// This build's version, for the start-up log line and `keyless --version`-style reports.
import serverPackage from '../package.json' with { type: 'json' };

export const VERSION: string = serverPackage.version;
