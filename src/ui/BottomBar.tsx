import { Box } from 'ink';
import type { Scope } from '../keymap/commands.js';
import { displayKeys } from '../keymap/keymap.js';
import { disabledReason } from './commands/run.js';
import { Text } from './text.js';
import { useFleet } from './context.js';
import type { Prompt } from './state.js';

/** The keys that apply now (from the keymap), or the open prompt. */
export function BottomBar({
  width,
  scope,
  prompt,
  focusedId,
}: {
  width: number;
  scope: Scope;
  prompt: Prompt | null;
  focusedId: string;
}) {
  const fleet = useFleet();
  const { keymap } = fleet;
  if (prompt?.kind === 'input') {
    const label =
      prompt.purpose === 'send' ? `send to ${prompt.id}` : `new migration for ${prompt.id}, name`;
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-start">
          <Text color="cyan" bold>
            {label}:{' '}
          </Text>
          {prompt.text}
          <Text inverse> </Text>
          <Text dimColor>
            {' '}
            {keymap.hint('input.send')} send · {keymap.hint('input.cancel')} cancel
          </Text>
        </Text>
      </Box>
    );
  }
  if (prompt?.kind === 'confirm') {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">
          <Text color="yellow" bold>
            {prompt.question}
          </Text>
          <Text dimColor>
            {' '}
            {keymap.hint('confirm.yes')} yes · {keymap.hint('confirm.no')} no
          </Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        {keymap.bar(scope).map((c) => {
          const off = disabledReason(c, { fleet, focusedId }) !== null;
          return (
            <Text key={c.id} dimColor={off}>
              <Text color={off ? undefined : c.dangerous ? 'red' : 'cyan'} bold={!off}>
                {displayKeys(c)}
              </Text>
              <Text> {c.label} </Text>
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}
