import type { ReactNode } from 'react';
import { Box } from 'ink';
import { Text } from '../text.js';

/** A full-body panel: border, title, fixed size, content clipped to it. */
export function Frame({
  title,
  width,
  height,
  children,
}: {
  title: string;
  width: number;
  height: number;
  children: ReactNode;
}) {
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle="round"
      borderColor="cyan"
      overflow="hidden"
    >
      <Text bold color="cyan" wrap="truncate-end">
        {title}
      </Text>
      <Box flexDirection="column" height={Math.max(0, height - 3)} overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}

/** Lines visible in a Frame of `height`. */
export function frameLines(height: number): number {
  return Math.max(0, height - 3);
}

/** The window of `count` items that keeps `cursor` visible in `visible` lines. */
export function windowAround(count: number, cursor: number, visible: number): [number, number] {
  if (count <= visible) return [0, count];
  const start = Math.min(Math.max(0, cursor - Math.floor(visible / 2)), count - visible);
  return [start, start + visible];
}
