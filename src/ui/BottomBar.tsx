import { Box } from 'ink';
import { Text } from './text.js';
import type { Scope } from './keys/commands.js';
import { displayKeys } from './keys/keymap.js';
import { useFleet } from './context.js';
import type { Prompt } from './state.js';

/** The keys that apply now (from the keymap), or the open prompt. */
export function BottomBar({
  width,
  scope,
  prompt,
}: {
  width: number;
  scope: Scope;
  prompt: Prompt | null;
}) {
  const { keymap } = useFleet();
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
          <Text dimColor> Enter send · Esc cancel</Text>
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
          <Text dimColor> y yes · n no</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        {keymap.bar(scope).map((c) => (
          <Text key={c.id}>
            <Text color={c.dangerous ? 'red' : 'cyan'} bold>
              {displayKeys(c)}
            </Text>
            <Text> {c.label} </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
