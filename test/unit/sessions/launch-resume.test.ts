import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { fleetConfigSchema } from '../../../src/config/schema.js';
import { buildLaunch } from '../../../src/core/sessions/launch.js';
import { codexOptions } from '../../../src/core/sessions/codex-args.js';

// A restart resumes the agent's conversation with the person's own options: before, an
// interactive Codex resumed as `codex resume <id>` alone (its model, sandbox and `--no-daemon`
// dropped; the contract tests' Codex daemons outlived their sandboxes that way), and `codex exec`
// kept an option but not its value (`exec -m resume <id>`: the model named "resume").
describe('resume keeps the agent kind options', () => {
  const config = (args: string[]) =>
    resolveConfig(
      fleetConfigSchema.parse({
        roles: { app: { title: 'App', prompt: 'Build the app' } },
        agents: { codex: { command: '/opt/bin/codex', args, backend: 'tmux' } },
        instances: [{ id: 'ps1', role: 'app', agent: 'codex', band: '001000' }],
      }),
      '/nonexistent/repo',
      null,
    );
  const resumed = (args: string[], rolePrompt?: string) => {
    const cfg = config(args);
    return buildLaunch(cfg, cfg.instances[0]!, {
      eventFile: '/nonexistent/ev',
      resumeId: 'id-1',
      ...(rolePrompt ? { rolePrompt } : {}),
    }).args;
  };

  it('interactive: options and their values before the id, the template prompt left out', () => {
    const t = [
      '--no-daemon',
      '-m',
      'o3',
      '-c',
      'model_reasoning_effort="high"',
      '--sandbox=workspace-write',
      '{rolePrompt}',
      '-a',
      'never',
    ];
    expect(resumed(t)).toEqual([
      'resume',
      '--no-daemon',
      '-m',
      'o3',
      '-c',
      'model_reasoning_effort="high"',
      '--sandbox=workspace-write',
      '-a',
      'never',
      'id-1',
    ]);
    // A new role is the resumed session's first message, after `--` (it may start with '-').
    expect(resumed(['--no-daemon'], '-new role')).toEqual([
      'resume',
      '--no-daemon',
      'id-1',
      '--',
      '-new role',
    ]);
  });

  it('exec: options keep their values; the prompt and what follows -- are left out', () => {
    expect(resumed(['exec', '--json', '-m', 'o3', '{rolePrompt}', '--', '-x'])).toEqual([
      'exec',
      '--json',
      '-m',
      'o3',
      'resume',
      'id-1',
    ]);
  });

  it('codexOptions: a value that looks like an option is still a value; a lone - is not an option', () => {
    expect(codexOptions(['-c', '-weird=1', '-', 'prompt', '--search'])).toEqual([
      '-c',
      '-weird=1',
      '--search',
    ]);
    expect(codexOptions(['-m'])).toEqual(['-m']);
  });
});
