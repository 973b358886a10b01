import { STAFF, expect, signInAs, test } from "./support/fixtures";

// The portal runs here as behind one trusted proxy (TRUSTED_PROXY_HOPS=1): the proxy's entry, the
// rightmost of X-Forwarded-For, is the client. Whatever a client writes further left is ignored.
const viaProxy = (client: string, forged: string) => ({ "x-forwarded-for": `${forged}, ${client}` });

// Counters live in clock-aligned windows of CONSENT_WINDOW_MS. A test whose requests straddle a
// window's end would rightly see two windows (a fresh budget, a second first refusal), so each
// starts its requests well inside one window: near the end of one, it waits for the next.
const WINDOW_MS = 10 * 60_000;
const MARGIN_MS = 90_000;
async function startWellInsideAWindow(): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < MARGIN_MS) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}

test.describe("customer consent pages under a flood", () => {
  test("a client cannot escape the rate limit by changing X-Forwarded-For", async ({ request }) => {
    test.setTimeout(MARGIN_MS + 120_000);
    await startWellInsideAWindow();
    const page = `/consent/${"Z".repeat(43)}`; // an unknown link: refused, but counted first
    const reasonOf = async (headers: Record<string, string>) => {
      const response = await request.get(page, { headers, maxRedirects: 0 });
      return new URL(response.headers()["location"] ?? "http://x/", "http://x").searchParams.get("reason");
    };
    for (let i = 1; i <= 30; i++) expect(await reasonOf(viaProxy("203.0.113.50", `10.9.${i}.1`))).toBe("link-invalid");
    // The 31st request of that client in the window is refused, whatever it claims to be.
    expect(await reasonOf(viaProxy("203.0.113.50", "10.9.99.1"))).toBe("rate-limited");
    expect(await reasonOf({ "x-forwarded-for": "203.0.113.50" })).toBe("rate-limited");
    // Another client is still served.
    expect(await reasonOf(viaProxy("203.0.113.51", "10.9.1.1"))).toBe("link-invalid");
  });

  test("forged callbacks from one address leave one audit row, not one each", async ({ request, page }) => {
    test.setTimeout(MARGIN_MS + 120_000);
    await startWellInsideAWindow();
    for (let i = 0; i < 8; i++) {
      const response = await request.get(`/consent/callback?admin_consent=True&tenant=2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83&state=${"F".repeat(43)}`, {
        headers: viaProxy("203.0.113.60", `10.8.${i}.1`),
        maxRedirects: 0,
      });
      expect(new URL(response.headers()["location"]!, "http://x").searchParams.get("reason")).toBe("state-unknown");
    }
    await signInAs(page, STAFF.admin.name, "/audit?action=consent.refused");
    await expect(page.getByTestId("audit-row").filter({ hasText: "203.0.113.60" })).toHaveCount(1);
  });
});
