// Finds source, test, script and CI files that read a path outside the repository, so that a
// clone with nothing beside it runs (issue 21: five test files once read ../shared/reference/,
// and a plain clone failed). Run by test/repository/self-contained.test.ts in every test run;
// `node scripts/outside-paths.mjs` prints what it finds.
//
// Two kinds of path are caught: a relative path literal ('../…', './…') that, resolved against
// the file's directory as `new URL(…, import.meta.url)` and `join(__dirname, …)` do, lands outside
// the repository; and an absolute path into the directory that holds this checkout (where the
// team's shared files sit beside the worktrees). Absolute paths elsewhere (/usr/bin/chromium,
// a test's made-up /home/u/.aws/config) are the machine's or examples, not the repository's.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where code that runs lives: the packages' sources, the tests, the scripts, the benchmarks, CI. */
const ROOTS = ['packages', 'test', 'scripts', 'bench', '.ci', 'package.json'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);
const CHECKED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.sh', '']);

const RELATIVE_LITERAL = /(['"`])((?:\.\.?\/)+[^'"`\s$]*)\1/g;
const ABSOLUTE_LITERAL = /(?<![\w.:/])(\/[A-Za-z][\w.-]*\/[^'"`\s)]*)/g;

/** Every file under the roots that is checked, as paths relative to the repository. */
export function checkedFiles(root = REPOSITORY) {
  const files = [];
  const walk = (path) => {
    let entries;
    try {
      entries = readdirSync(join(root, path), { withFileTypes: true });
    } catch (error) {
      if (error.code === 'ENOTDIR') return void (CHECKED_EXTENSIONS.has(extname(path)) && files.push(path));
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (CHECKED_EXTENSIONS.has(extname(entry.name))) files.push(child);
    }
  };
  for (const path of ROOTS) walk(path);
  return files;
}

/**
 * The outside paths in one file's text: `{ line, path, why }` for each. `file` is relative to
 * `root`; `root` is the repository (a test passes another).
 */
export function outsidePaths(file, text, root = REPOSITORY) {
  const found = [];
  const fileDir = dirname(join(root, file));
  const containing = `${dirname(root)}${sep}`;
  text.split('\n').forEach((lineText, index) => {
    const line = index + 1;
    for (const [, , path] of lineText.matchAll(RELATIVE_LITERAL)) {
      const target = resolve(fileDir, path);
      if (target !== root && !target.startsWith(`${root}${sep}`)) found.push({ line, path, why: `resolves to ${target}, outside the repository` });
    }
    for (const [, path] of lineText.matchAll(ABSOLUTE_LITERAL)) {
      if (path.startsWith(`${root}${sep}`)) continue;
      if (containing !== '/' && path.startsWith(containing)) {
        found.push({ line, path, why: 'an absolute path outside the repository' });
      }
    }
  });
  return found;
}

/** Every outside path in the repository, as `file:line: path (why)` lines. */
export function findOutsidePaths(root = REPOSITORY) {
  return checkedFiles(root).flatMap((file) =>
    outsidePaths(file, readFileSync(join(root, file), 'utf8'), root).map(({ line, path, why }) => `${relative(root, join(root, file))}:${line}: ${path} (${why})`),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = findOutsidePaths();
  if (found.length === 0) console.log('No source, test, script or CI file reads a path outside the repository.');
  else console.error(`Paths outside the repository (a clone with nothing beside it would not find them):\n${found.join('\n')}`);
  process.exit(found.length === 0 ? 0 : 1);
}
