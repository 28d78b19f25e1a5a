// Which tree a benchmark measured: the commit, and whether packages/ had uncommitted changes.
import { execFileSync } from 'node:child_process';

export function gitState(root) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return { commit, dirtyPackages: dirty };
  } catch {
    return undefined;
  }
}
