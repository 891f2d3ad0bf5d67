import type { InstanceSnapshot } from '../../core/fleet/types.js';
import { Text } from '../text.js';
import { useFleet } from '../context.js';
import { useAllInstances } from '../use-store.js';
import { Frame, frameLines } from './Frame.js';

interface Line {
  text: string;
  heading: boolean;
}

/** Each instance with files outside its role: a heading, then one file per line. */
export function outsideLines(snaps: readonly InstanceSnapshot[]): Line[] {
  const out: Line[] = [];
  for (const s of snaps) {
    const files = s.scope?.outside ?? [];
    if (files.length === 0) continue;
    out.push({
      text: `${s.instance.id} · ${s.roleTitle} — ${files.length} ${files.length === 1 ? 'file' : 'files'} outside its role`,
      heading: true,
    });
    for (const f of files) out.push({ text: `    ${f}`, heading: false });
  }
  return out;
}

/** Scope creep: the files each instance touched (not landed) that its role does not own. */
export function Outside({
  width,
  height,
  scroll,
}: {
  width: number;
  height: number;
  scroll: number;
}) {
  const { keymap: k } = useFleet();
  const all = useAllInstances();
  const lines = outsideLines(all);
  const pending = all.some((s) => s.git?.exists && s.scope === null);
  const shown = lines.slice(scroll, scroll + frameLines(height));
  return (
    <Frame
      title={`Outside their roles — files touched and not landed · ${k.hint('list.up', 'list.down')} scroll · ${k.hint('panel.close')} close`}
      width={width}
      height={height}
    >
      {lines.length === 0 ? (
        <Text dimColor>
          {pending
            ? 'reading…'
            : 'every instance stays inside its role (roles without paths own everything)'}
        </Text>
      ) : null}
      {shown.map((l, i) => (
        <Text
          key={scroll + i}
          bold={l.heading}
          color={l.heading ? 'yellow' : undefined}
          wrap="truncate-end"
        >
          {l.text}
        </Text>
      ))}
    </Frame>
  );
}
