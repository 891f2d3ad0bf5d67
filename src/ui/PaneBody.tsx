import { useLayoutEffect, useMemo, useRef } from 'react';
import { Box, type DOMElement } from 'ink';
import type { Session } from '../core/sessions/types.js';
import { PaneContentText } from './text.js';
import { fitLines } from './fit.js';
import { useStage } from './output/context.js';
import type { TerminalStage } from './output/stage.js';
import { useOutputVersion } from './use-store.js';

export interface PaneBodyProps {
  id: string;
  session: Session | null;
  width: number;
  height: number;
}

/** The tail of a pane's output: drawn by the output stage when there is one, else by Ink. */
export function PaneBody(props: PaneBodyProps) {
  const stage = useStage();
  return stage ? <StagedBody {...props} stage={stage} /> : <InkBody {...props} />;
}

/** Cell position of an Ink node: Yoga's offsets summed up to the root. */
function origin(node: DOMElement): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let n: DOMElement | undefined = node; n; n = n.parentNode) {
    x += n.yogaNode?.getComputedLeft() ?? 0;
    y += n.yogaNode?.getComputedTop() ?? 0;
  }
  return { x: Math.round(x), y: Math.round(y) };
}

/**
 * An empty box of the body's size for Ink; the stage draws the lines into it. Output reaches
 * the stage directly (`changed`), so a printing agent causes no React render at all.
 */
function StagedBody({
  id,
  session,
  width,
  height,
  stage,
}: PaneBodyProps & { stage: TerminalStage }) {
  const ref = useRef<DOMElement>(null);
  // Every commit that renders this body may have moved it: Yoga's layout is computed before
  // layout effects run, and `place` ignores a region that did not move.
  useLayoutEffect(() => {
    if (!ref.current || !session || height <= 0) return;
    const node = ref.current;
    const { x, y } = origin(node);
    stage.place(id, {
      x,
      y,
      width,
      height,
      tail: (n) => session.tail(n),
      locate: () => origin(node),
    });
  });
  useLayoutEffect(() => {
    if (!session) return;
    const off = session.on('output', () => stage.changed(id));
    return () => {
      off();
      stage.remove(id);
    };
  }, [stage, session, id]);
  return <Box ref={ref} width={width} height={height} />;
}

/** Ink draws the lines (no stage: tests, renders to a string). */
function InkBody({ session, width, height }: PaneBodyProps) {
  const version = useOutputVersion(session);
  // Re-fit only when the output or the size changed, not on header-only updates.
  const text = useMemo(
    () => (height > 0 && session ? fitLines(session.tail(height), width) : ''),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version is the output's identity
    [session, version, height, width],
  );
  return (
    <Box height={height}>
      <PaneContentText>{text}</PaneContentText>
    </Box>
  );
}
