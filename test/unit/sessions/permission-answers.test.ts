// Approve / deny keys come only from a permission dialog, judged on the screens recorded from the
// real claude 2.1.332 and codex 0.171.0 (test/fixtures/screens): never from a trust, login or
// hooks-review dialog, the input box or a running turn.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { permissionAnswers } from '../../../src/core/sessions/screen/patterns.js';
import { REPO_ROOT } from '../../helpers/git-fixture.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'screens');

describe('permissionAnswers on the recorded screens', () => {
  const screens = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
  it('covers both agents', () => {
    expect(screens.filter((s) => s.startsWith('claude-')).length).toBeGreaterThan(4);
    expect(screens.filter((s) => s.startsWith('codex-')).length).toBeGreaterThan(4);
  });
  for (const name of screens) {
    const agent = name.startsWith('claude-') ? 'claude' : 'codex';
    const state = name.replace(/^[a-z]+-[\d.]+-/, '').replace(/\.txt$/, '');
    const dialog = state === 'permission' || state === 'approval';
    it(`${name}: ${dialog ? 'its own keys' : 'no keys'}`, () => {
      const got = permissionAnswers(agent, readFileSync(path.join(DIR, name), 'utf8'));
      if (!dialog) return expect(got).toBeNull();
      expect(got).toEqual(
        agent === 'claude'
          ? { approve: ['1'], deny: ['Escape'] }
          : { approve: ['y'], deny: ['Escape'] },
      );
    });
  }
  it('permission words above a trust dialog: still the trust dialog, no keys', () => {
    const trust = readFileSync(path.join(DIR, 'claude-2.1.332-trust.txt'), 'utf8');
    expect(
      permissionAnswers('claude', `Do you want to proceed?\n${'\n'.repeat(30)}${trust}`),
    ).toBeNull();
  });
});
