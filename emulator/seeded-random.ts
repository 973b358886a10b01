// A small deterministic PRNG (mulberry32) so the same seed always yields the same demo data.

export type SeededRandom = {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks using weights (same length as items). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  chance(probability: number): boolean;
  /** n distinct items (or all of them when n >= length), in random order. */
  sample<T>(items: readonly T[], n: number): T[];
  hex(length: number): string;
  /** A version-4-shaped GUID built from the stream (not cryptographically random, on purpose). */
  guid(): string;
};

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += int(0, 15).toString(16);
    return out;
  };
  return {
    next,
    int,
    // Indexes below are always in range; the casts only satisfy noUncheckedIndexedAccess.
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T,
    weighted: <T>(items: readonly T[], weights: readonly number[]) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let roll = next() * total;
      for (const [i, item] of items.entries()) {
        roll -= weights[i] ?? 0;
        if (roll < 0) return item;
      }
      return items[items.length - 1] as T;
    },
    chance: (probability) => next() < probability,
    sample: <T>(items: readonly T[], n: number) => {
      const copy: T[] = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, Math.min(n, copy.length));
    },
    hex,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
  };
}

/** A stable seed for a sub-stream, so adding data to one tenant does not reshuffle the others. */
export function deriveSeed(seed: number, label: string): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}
