import { describe, expect, it } from "vitest";
import { PASS_FROM_BEGINNING, incrementalStart, nextPassPosition } from "@/server/incidents/sync-paging";

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const times = (...minutes: number[]) => minutes.map(t);

describe("sync paging", () => {
  it("pages by keyset while the answer is ordered: the next page starts at the newest time seen", () => {
    const step = nextPassPosition({ position: { from: t(0), skip: 0 }, times: times(0, 1, 2, 5), received: 4, top: 4 });
    expect(step).toEqual({ done: false, next: { from: t(5), skip: 0 }, mode: "keyset", newest: t(5), ordered: true });
  });

  it("ends the pass on a short page", () => {
    const step = nextPassPosition({ position: { from: t(5), skip: 0 }, times: times(5, 6), received: 2, top: 4 });
    expect(step).toMatchObject({ done: true, mode: "keyset", newest: t(6) });
  });

  it("falls back to $skip from the same bound when the order cannot be trusted, and stays there", () => {
    const disordered = nextPassPosition({ position: { from: t(0), skip: 0 }, times: times(3, 1, 2, 4), received: 4, top: 4 });
    expect(disordered).toMatchObject({ done: false, next: { from: t(0), skip: 4 }, mode: "offset", ordered: false });
    // Records older than the filter bound mean the filter was not applied: not trusted either.
    expect(nextPassPosition({ position: { from: t(10), skip: 0 }, times: times(1, 11, 12, 13), received: 4, top: 4 }).mode).toBe("offset");
    // Once in $skip mode an ordered page does not jump: that could pass over unseen records.
    expect(nextPassPosition({ position: { from: t(0), skip: 4 }, times: times(5, 6, 7, 8), received: 4, top: 4 })).toMatchObject({
      next: { from: t(0), skip: 8 },
      mode: "offset",
    });
    expect(nextPassPosition({ position: { from: t(0), skip: 4 }, times: times(9), received: 1, top: 4 })).toMatchObject({ done: true, mode: "offset" });
  });

  it("uses $skip for a full page at one timestamp, and for a page of unreadable records", () => {
    expect(nextPassPosition({ position: { from: t(3), skip: 0 }, times: times(3, 3, 3, 3), received: 4, top: 4 }).next).toEqual({ from: t(3), skip: 4 });
    expect(nextPassPosition({ position: { from: t(3), skip: 0 }, times: [], received: 4, top: 4 }).next).toEqual({ from: t(3), skip: 4 });
  });

  it("starts a backfill from the beginning, and an incremental pass at the cursor minus the overlap", () => {
    expect(incrementalStart(null, 120_000)).toBe(PASS_FROM_BEGINNING);
    expect(incrementalStart(t(10), 120_000)).toEqual(t(8));
  });
});
