import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LegacyModeBanner, OldApiTenantsNotice } from "@/components/tenants/migration-notice";

const retirement = new Date("2027-02-01T00:00:00Z");

describe("where the portal reads incidents from, told to staff", () => {
  it("names the retirement date on every page in legacy mode, and nothing otherwise", () => {
    const legacy = renderToStaticMarkup(createElement(LegacyModeBanner, { summary: { mode: "defender", onOldApi: 3, retirement } }));
    expect(legacy).toContain("Legacy mode");
    expect(legacy).toContain("1 February 2027");
    expect(renderToStaticMarkup(createElement(LegacyModeBanner, { summary: { mode: "graph", onOldApi: 3, retirement } }))).toBe("");
  });

  it("counts the tenants still on the old API, with the date, only while there are some", () => {
    const notice = renderToStaticMarkup(createElement(OldApiTenantsNotice, { summary: { mode: "graph", onOldApi: 2, retirement } }));
    expect(notice).toContain("2 tenants still read");
    expect(notice).toContain("1 February 2027");
    expect(renderToStaticMarkup(createElement(OldApiTenantsNotice, { summary: { mode: "graph", onOldApi: 0, retirement } }))).toBe("");
  });
});
