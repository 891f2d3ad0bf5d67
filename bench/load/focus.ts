// Which pane has the focus, as a person sees it: the pane whose border is drawn differently
// from the others (another style or another line set). The signature is the set of top-left
// corners that stand out; pressing Tab must change it. A corner is one that starts a border (a
// horizontal line follows it): agents print `+` and box characters too, and counted as corners
// they outnumbered the panes' own, so every pane's corner "stood out" and a focus change on
// screen went unseen until the text around it happened to change.
import type { Screen } from '../tty/screen.js';

const CORNERS = new Set(['┌', '╭', '╔', '┏', '+']);
const LINES = new Set(['─', '═', '━', '-']);

export function focusSignature(screen: Screen): string {
  const corners: Array<{ at: string; look: string }> = [];
  for (let r = 0; r < screen.rows; r++) {
    const chars = screen.chars[r]!;
    for (let c = 0; c < screen.cols; c++) {
      if (CORNERS.has(chars[c]!) && LINES.has(chars[c + 1] ?? ''))
        corners.push({ at: `${r}:${c}`, look: `${chars[c]}|${screen.styles[r]![c]}` });
    }
  }
  const counts = new Map<string, number>();
  for (const k of corners) counts.set(k.look, (counts.get(k.look) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return corners
    .filter((k) => k.look !== common)
    .map((k) => k.at)
    .join(',');
}
