import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IncidentSourceSummary } from "@/server/tenants/tenant-directory";

// The staff layout (app/(portal)/layout.tsx) as Next renders it around every staff page: its data
// sources are stubbed (the signed-in staff member, the source summary), and the client widgets of
// the header, which need a browser, render nothing.
let summary: IncidentSourceSummary;
vi.mock("@/server/auth/require-staff", () => ({
  requireStaff: async () => ({ oid: "o", tenantId: "t", name: "Arjun Patel", username: "arjun@northwind.example", role: "Portal.Analyst" }),
}));
vi.mock("@/server/tenants/tenant-directory", () => ({ getIncidentSourceSummary: async () => summary }));
vi.mock("@/components/ui/portal-nav", () => ({ PortalNav: () => null }));
vi.mock("@/components/ui/theme-toggle", () => ({ ThemeToggle: () => null }));
vi.mock("@/components/ui/sign-out-button", () => ({ SignOutButton: () => null }));

const retirement = new Date("2027-02-01T00:00:00Z");

async function renderStaffPage(): Promise<string> {
  const { default: PortalLayout } = await import("@/app/(portal)/layout");
  const tree = (await PortalLayout({ children: createElement("p", { id: "page" }, "The incident queue") })) as ReactElement;
  return renderToStaticMarkup(tree);
}

describe("the legacy-mode banner on staff pages", () => {
  beforeEach(() => {
    summary = { mode: "graph", onOldApi: 0, retirement };
  });

  it("wraps every staff page with the banner naming the retirement date in legacy mode", async () => {
    summary = { mode: "defender", onOldApi: 4, retirement };
    const html = await renderStaffPage();
    expect(html).toContain("Legacy mode");
    expect(html).toContain("1 February 2027");
    // Above the page itself, which is still rendered.
    expect(html.indexOf("Legacy mode")).toBeLessThan(html.indexOf("The incident queue"));
    expect(html).toContain("Arjun Patel");
  });

  it("shows no banner when the portal reads through Microsoft Graph", async () => {
    summary = { mode: "graph", onOldApi: 2, retirement };
    const html = await renderStaffPage();
    expect(html).not.toContain("Legacy mode");
    expect(html).toContain("The incident queue");
  });
});
