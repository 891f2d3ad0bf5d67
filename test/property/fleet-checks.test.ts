// The property test's own judge, attacked on the case it once got wrong: main renamed a file and
// edited it (so base → main no longer looks like a rename) while a branch edited the old path; a
// rebase applies the branch's edit at the new path. Held when main has it, lost when it does not.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitSync } from './fleet-apply.js';
import { lostContent } from './fleet-checks.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function repoWithRenameOnMain(mainKeepsBranchEdit: boolean, heavy = true) {
  dir = mkdtempSync(path.join(tmpdir(), 'fleet-checks-'));
  const git = (...a: string[]) => gitSync(dir, a).trim();
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  put('shared/s1.txt', 'line0\nline1\nline2\nline3\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD');
  git('switch', '-qc', 'branch');
  put('shared/s1.txt', 'alpha branch\nline1\nline2\nline3\n');
  git('commit', '-qam', 'branch edits line 0');
  const tip = git('rev-parse', 'HEAD');
  git('switch', '-q', 'main');
  // heavy: main edits half the file, so base → main is no longer a rename as a whole.
  const line3 = heavy ? 'beta main' : 'line3';
  put('shared/s1.txt', `line0\nline1\nalpha main\n${line3}\n`);
  git('commit', '-qam', 'main edits line 2');
  git('mv', 'shared/s1.txt', 'moved.txt');
  git('commit', '-qm', 'main moves the file');
  const line0 = mainKeepsBranchEdit ? 'alpha branch' : 'line0';
  put('moved.txt', `${line0}\nline1\nalpha main\n${line3}\n`);
  git('commit', '-qam', 'the branch rebased onto main (or not)', '--allow-empty');
  return { base, tip, main: git('rev-parse', 'HEAD') };
}

describe('fleet checks: content followed through a rename on main', () => {
  for (const heavy of [true, false]) {
    const how = heavy ? 'moved and half rewritten' : 'moved';
    it(`an edit applied at the path main ${how} is held`, () => {
      const { tip, main } = repoWithRenameOnMain(true, heavy);
      expect(lostContent(dir, tip, main)).toEqual([]);
    });

    it(`an edit missing at the path main ${how} is lost`, () => {
      const { tip, main } = repoWithRenameOnMain(false, heavy);
      expect(lostContent(dir, tip, main)).toEqual(['shared/s1.txt']);
    });
  }
});
