// The property test's own judge, attacked on the case it once got wrong: main renamed a file and
// edited it (so base → main no longer looks like a rename) while a branch edited the old path; a
// rebase applies the branch's edit at the new path. Held when main has it, lost when it does not.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitSync } from './fleet-apply.js';
import { lostContent, supersededByLanded } from './fleet-checks.js';

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

// A change landed earlier, then replaced on main by an instance landed now: held when that
// instance had merged main (it saw the change and resolved the file its own way), lost when its
// file was written from before the change (a replay pasting an old file over main's).
describe('fleet checks: content superseded by a later landed instance', () => {
  for (const saw of [true, false]) {
    it(
      saw
        ? 'a resolution made after merging main supersedes'
        : 'an old file pasted over main does not',
      () => {
        dir = mkdtempSync(path.join(tmpdir(), 'fleet-checks-'));
        const git = (...a: string[]) => gitSync(dir, a).trim();
        const put = (text: string) => writeFileSync(path.join(dir, 's0.txt'), text);
        git('init', '-q', '-b', 'main');
        git('config', 'user.email', 't@example.com');
        git('config', 'user.name', 't');
        put('line0\nline1\nline2\nline3\n');
        git('add', '.');
        git('commit', '-qm', 'base');
        git('switch', '-qc', 'ps2');
        put('line0\nline1\nbeta ps2\nline3\n');
        git('commit', '-qam', 'ps2 edits line 2');
        const tip2 = git('rev-parse', 'HEAD');
        git('switch', '-q', 'main');
        put('main side\nline1\nline2\nline3\n');
        git('commit', '-qam', 'main edits line 0');
        git('cherry-pick', 'ps2'); // replayed onto main: a blob ps2's branch never had
        const landed2 = git('rev-parse', 'HEAD');
        git('switch', '-qc', 'ps3', 'main~2');
        put('line0\nline1\nline2\nps3 line3\n');
        git('commit', '-qam', 'ps3 edits line 3');
        if (saw) {
          try {
            git('merge', '-q', '--no-commit', 'main');
          } catch {
            // the conflict in s0.txt, resolved below
          }
          put('resolved by ps3\n');
          git('commit', '-qam', 'ps3 merges main, resolves s0');
        }
        const tip3 = git('rev-parse', 'HEAD');
        git('switch', '-q', 'main');
        git('checkout', tip3, '--', 's0.txt');
        git('commit', '-qm', 'main gets ps3 s0');
        const main = git('rev-parse', 'HEAD');
        const before = {
          main: landed2,
          instances: [
            { id: 'ps2', tip: tip2 },
            { id: 'ps3', tip: tip3 },
          ],
        };
        const outcomes = new Map([
          ['ps2', 'nothing'],
          ['ps3', 'landed'],
        ]);
        expect(lostContent(dir, tip2, main)).toEqual(['s0.txt']);
        expect(supersededByLanded(dir, before, tip2, 's0.txt', main, outcomes)).toBe(saw);
        outcomes.set('ps3', 'conflict');
        expect(supersededByLanded(dir, before, tip2, 's0.txt', main, outcomes)).toBe(false);
      },
    );
  }
});
