// Reads a small text file on the `credential-process` path, which reads the config and the cache
// file before every AWS CLI call: node:fs's callback API, loaded through builtins.ts (see there).
import { nodeFs } from '../builtins.ts';

/** The file's text, or undefined when it does not exist. */
export function readTextFile(path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    nodeFs().readFile(path, 'utf8', (error, text) => {
      if (!error) resolve(text);
      else if (error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
  });
}
