import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/core/sessions/output/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps only the newest `capacity` lines, oldest first', () => {
    const r = new RingBuffer(3);
    for (let i = 1; i <= 7; i++) r.push(`l${i}`);
    expect(r.size).toBe(3);
    expect(r.total).toBe(7);
    expect(r.tail(10)).toEqual(['l5', 'l6', 'l7']);
    expect(r.tail(2)).toEqual(['l6', 'l7']);
    expect(r.tail(0)).toEqual([]);
  });

  it('stays bounded under a million lines', () => {
    const r = new RingBuffer(5000);
    for (let i = 0; i < 1_000_000; i++) r.push(String(i));
    expect(r.size).toBe(5000);
    expect(r.tail(1)).toEqual(['999999']);
    expect(r.tail(5000)[0]).toBe('995000');
  });

  it('replaceAll keeps the last `capacity` lines of a screen', () => {
    const r = new RingBuffer(2);
    r.push('old');
    r.replaceAll(['a', 'b', 'c']);
    expect(r.tail(5)).toEqual(['b', 'c']);
  });

  it('is bounded in bytes as well as lines: 300 lines of 1 MB keep at most maxBytes', () => {
    const r = new RingBuffer(5000, 4 * 1024 * 1024);
    const mb = 'z'.repeat(1024 * 1024 - 8);
    for (let i = 0; i < 300; i++) r.push(`${String(i).padStart(7, '0')} ${mb}`);
    expect(r.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(r.size).toBe(4);
    expect(r.tail(1)[0]!.startsWith('0000299 ')).toBe(true);
    // Bytes are UTF-8 bytes: a line of 3-byte characters weighs three times its length.
    const w = new RingBuffer(100, 100);
    for (let i = 0; i < 10; i++) w.push('漢'.repeat(10));
    expect(w.bytes).toBe(90);
    expect(w.size).toBe(3);
    // The newest line always stays, even alone over the bound; replaceAll obeys the bound too.
    w.push('x'.repeat(500));
    expect(w.tail(5)).toEqual(['x'.repeat(500)]);
    w.replaceAll(['a'.repeat(60), 'b'.repeat(60)]);
    expect(w.tail(5)).toEqual(['b'.repeat(60)]);
    expect(w.bytes).toBe(60);
  });

  it('rejects a useless capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});
