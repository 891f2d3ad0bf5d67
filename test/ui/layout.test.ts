import { describe, expect, it } from 'vitest';
import { CHROME_LINES, computeLayout, minimumSize, moveFocus } from '../../src/ui/layout.js';

describe('grid layout', () => {
  it('puts 12 panes of a 160×48 terminal in 4 columns × 3 rows that fill the area', () => {
    const l = computeLayout(12, 160, 48 - CHROME_LINES)!;
    expect([l.cols, l.rows]).toEqual([4, 3]);
    expect(l.colWidths.reduce((a, b) => a + b)).toBe(160);
    expect(l.rowHeights.reduce((a, b) => a + b)).toBe(45);
  });

  it('adapts the column count to the size', () => {
    expect(computeLayout(12, 120, 40 - CHROME_LINES)!.cols).toBe(3);
    expect(computeLayout(10, 80, 24 - CHROME_LINES)!.cols).toBe(2);
    expect(computeLayout(1, 80, 21)!.cols).toBe(1);
  });

  it('returns null when even the smallest panes do not fit, and says what would', () => {
    expect(computeLayout(12, 50, 9)).toBeNull();
    const min = minimumSize(12, 50);
    expect(computeLayout(12, min.cols, min.rows - CHROME_LINES)).not.toBeNull();
  });

  it('moves focus spatially, staying put at the edges and landing in a short last row', () => {
    // 10 panes in 4 columns: rows [0..3] [4..7] [8, 9]
    expect(moveFocus(0, 'left', 10, 4)).toBe(0);
    expect(moveFocus(0, 'right', 10, 4)).toBe(1);
    expect(moveFocus(3, 'right', 10, 4)).toBe(3);
    expect(moveFocus(1, 'down', 10, 4)).toBe(5);
    expect(moveFocus(7, 'down', 10, 4)).toBe(9);
    expect(moveFocus(9, 'down', 10, 4)).toBe(9);
    expect(moveFocus(9, 'up', 10, 4)).toBe(5);
    expect(moveFocus(9, 'right', 10, 4)).toBe(9);
  });
});
