import { Children, type ReactNode } from 'react';
import { Text as InkText, type TextProps } from 'ink';
import { sanitize } from '../text/sanitize.js';

/**
 * The TUI's only `Text` (lint forbids Ink's elsewhere): every string child passes through the
 * one sanitizer, so a control character in a branch name, file name, commit subject, role title
 * or git message is shown (`\x1b`) and never reaches the terminal. Nested `Text`s sanitize their
 * own children; numbers are safe as they are.
 */
export function Text({ children, ...props }: TextProps) {
  return (
    <InkText {...props}>
      {Children.map(children, (c) => (typeof c === 'string' ? sanitize(c) : c))}
    </InkText>
  );
}

/**
 * Agent output in a pane: already terminal-safe when it gets here (exec output keeps only SGR
 * colours, tmux panes come rendered by tmux — see core/sessions/output), so its colours are kept.
 * Nothing else may use this.
 */
export function PaneContentText({
  children,
  wrap,
}: {
  children: ReactNode;
  wrap?: TextProps['wrap'];
}) {
  return <InkText wrap={wrap}>{children}</InkText>;
}
