/**
 * Glob expansion for the CLI's FILE arguments, so that a quoted pattern means the same in every shell and in CI. Node 20, the oldest Node the package supports, has no fs.globSync, and the small glob
 * libraries ship ES modules that need `import.meta` at load time, which the CLI's CommonJS bundle does not have; the
 * subset a shell user expects is small, so it is here: `*` and `?` within a name, `[abc]` / `[!a-z]`, `{a,b}`
 * (expanded first, as a shell does, so it may span folders), and `**` for any depth of folders. As in a shell, `*`,
 * `?` and `**` do not match names that start with a dot, and folders reached through a symbolic link are not walked by
 * `**` (no cycles).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Whether an argument is a pattern rather than a file name. */
export function isGlob(arg: string): boolean {
  return /[*?[{]/.test(arg);
}

/** `a{b,c{d,e}}f` → `abf`, `acdf`, `acef`: each top-level brace group with a comma, expanded in order. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{' && depth++ === 0) open = i;
    else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0) {
      if (commas.length === 0) continue; // `{a}` is literal, as in a shell
      const cuts = [open, ...commas, i];
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return cuts.slice(1).flatMap((cut, k) => expandBraces(head + pattern.slice(cuts[k] + 1, cut) + tail));
    }
  }
  return [pattern];
}

/** One path segment's pattern as a regular expression over a name. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const end = segment.indexOf(']', i + 2);
      const body = segment.slice(i + 1, end);
      const negated = body[0] === '!' || body[0] === '^';
      re += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < segment.length) re += segment[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir || '.', { withFileTypes: true });
  } catch {
    return []; // a folder that cannot be read matches nothing, as in a shell
  }
}

function isDirectory(path: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The files under `dir` that the segments match, as paths that start with `dir` as the pattern wrote it. */
function walk(dir: string, segments: string[], out: string[]): void {
  const [segment, ...rest] = segments;
  const child = (name: string) => (dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);
  if (segment === '**') {
    walk(dir, rest, out); // zero folders
    for (const e of entries(dir)) if (e.isDirectory() && !e.name.startsWith('.')) walk(child(e.name), segments, out);
    return;
  }
  if (!isGlob(segment)) {
    const path = child(segment);
    if (rest.length) walk(path, rest, out);
    else if (statOrNull(path)?.isFile()) out.push(path);
    return;
  }
  const re = segmentRegExp(segment);
  for (const e of entries(dir)) {
    if (!re.test(e.name) || (e.name.startsWith('.') && !segment.startsWith('.'))) continue;
    const path = child(e.name);
    if (rest.length) {
      if (isDirectory(join(dir, e.name), e)) walk(path, rest, out);
    } else if (statOrNull(path)?.isFile()) out.push(path);
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The files a pattern matches, sorted, each once; `/` separates folders (an absolute pattern gives absolute paths). */
export function globFiles(pattern: string): string[] {
  const out: string[] = [];
  for (const p of expandBraces(pattern)) {
    const absolute = p.startsWith('/');
    const segments = p.split('/').filter((s, i) => s !== '' || i === 0);
    if (absolute) segments.shift();
    walk(absolute ? '/' : '', segments, out);
  }
  return [...new Set(out)].sort();
}
