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

  it('rejects a useless capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});
