import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { generatedTenant, TEST_CUSTOMER_FAMILY } from "@/emulator/generated-tenants";
import type { StaffSession } from "@/server/auth/staff-session";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const ADATUM = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
/** Generated customers beside the six seeded ones. */
const LEGACY = generatedTenant(TEST_CUSTOMER_FAMILY, 0).id;
const NEWCO = generatedTenant(TEST_CUSTOMER_FAMILY, 1).id;
const RACECO = generatedTenant(TEST_CUSTOMER_FAMILY, 2).id;

const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

describe.each(testDatabaseKinds())("admin consent callback (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  // Loaded after the environment is set: server modules read it lazily, like the web process.
  let flow: typeof import("@/server/tenants/consent-flow");
  let verification: typeof import("@/server/tenants/consent-verification");
  let invitations: typeof import("@/server/tenants/consent-invitations");
  let lifecycle: typeof import("@/server/tenants/tenant-lifecycle");
  let db: import("@/prisma/generated/client/client").PrismaClient;
  let isConsentRefused: typeof import("@/server/tenants/consent-errors").isConsentRefused;

  beforeAll(async () => {
    emulator = await startTestEmulator({
      propagationDelayMs: 0,
      extraCustomers: [0, 1, 2].map((index) => generatedTenant(TEST_CUSTOMER_FAMILY, index)),
    });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules(); // fresh config and store for this database kind
    flow = await import("@/server/tenants/consent-flow");
    verification = await import("@/server/tenants/consent-verification");
    invitations = await import("@/server/tenants/consent-invitations");
    lifecycle = await import("@/server/tenants/tenant-lifecycle");
    ({ isConsentRefused } = await import("@/server/tenants/consent-errors"));
    db = await (await import("@/server/services")).getDb();
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  /** The nonce cookie of the browser that started the latest consent (the admin's browser). */
  let currentNonce: string | null = null;

  /** Staff issue a link; the admin presses the button: returns the state Microsoft will echo. */
  async function startConsent(input: { customerName: string; expectedTenant?: string; access?: "read" | "read_write" }) {
    const issued = await invitations.createConsentInvitation({
      staff: admin,
      input: {
        customerName: input.customerName,
        expectedTenant: input.expectedTenant ?? null,
        requestedAccess: input.access ?? "read_write",
        expiresInDays: 7,
        note: null,
      },
    });
    const token = issued.link.split("/consent/")[1]!;
    const start = await flow.beginAdminConsent({ token, ipAddress: "127.0.0.1" });
    const microsoftUrl = new URL(start.url);
    expect(microsoftUrl.pathname).toBe(`/${input.expectedTenant ?? "organizations"}/v2.0/adminconsent`);
    expect(microsoftUrl.searchParams.get("scope")).toBe("https://graph.microsoft.com/.default");
    expect(microsoftUrl.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3999/consent/callback");
    currentNonce = start.browserNonce;
    return { invitationId: issued.id, token, state: microsoftUrl.searchParams.get("state")!, browserNonce: start.browserNonce };
  }

  async function callback(params: Record<string, string>, browserNonce: string | null = currentNonce) {
    return flow.handleConsentCallback({ params: new URLSearchParams(params), ipAddress: "127.0.0.1", browserNonce });
  }

  /** A Global Administrator of the tenant, from the emulator's directory. */
  async function adminOf(tenantId: string): Promise<string> {
    const tenants = await control<{ id: string; users: { id: string; isGlobalAdmin: boolean }[] }[]>(emulator, "GET", "/tenants");
    return tenants.find((t) => t.id === tenantId)!.users.find((u) => u.isGlobalAdmin)!.id;
  }

  /** The admin's browser at Microsoft's sign-in page (the emulator's real form): the redirect's parameters. */
  async function signInAtMicrosoft(signInUrl: string, userId: string): Promise<Record<string, string>> {
    const url = new URL(signInUrl);
    expect(url.searchParams.get("scope")).toBe("openid profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const form = new URLSearchParams(url.searchParams);
    form.set("user_id", userId);
    const response = await fetch(`${url.origin}${url.pathname}`, { method: "POST", body: form, redirect: "manual" });
    expect(response.status).toBeGreaterThanOrEqual(300);
    return Object.fromEntries(new URL(response.headers.get("location")!).searchParams);
  }

  /** Microsoft's consent redirect, then the admin's sign-in (as an admin of `signInTenant`, by default the consented one). */
  async function consentAndSignIn(input: { state: string; tenant: string; signInTenant?: string }) {
    const consented = await callback({ admin_consent: "True", tenant: input.tenant, state: input.state, scope: "https://graph.microsoft.com/.default" });
    if (consented.kind !== "sign-in") throw new Error(`expected the sign-in step, got ${consented.kind}`);
    return callback(await signInAtMicrosoft(consented.url, await adminOf(input.signInTenant ?? input.tenant)));
  }

  async function refusal(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (isConsentRefused(error)) return error.reason;
      throw error;
    }
    throw new Error("expected a refusal");
  }

  async function expectNothingRecorded(invitationId: string, tenantId: string) {
    expect(await db.tenant.count({ where: { id: tenantId } })).toBe(0);
    const invitation = await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(invitation.status).toBe("waiting");
    expect(invitation.tenantId).toBeNull();
  }

  async function lastAuditReason(action: string): Promise<string | null> {
    const event = await db.auditEvent.findFirst({ where: { action }, orderBy: { id: "desc" } });
    return event?.reason ?? null;
  }

  it("records a tenant only after a token proves the consent, and marks the link used", async () => {
    const { invitationId, token, state } = await startConsent({ customerName: "Contoso Manufacturing", expectedTenant: CONTOSO });
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    const outcome = await consentAndSignIn({ state, tenant: CONTOSO });
    expect(outcome.kind).toBe("verifying");
    const view = await verification.getConsentAttemptView({ attemptId: outcome.attemptId });
    expect(view?.state).toBe("verified");
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: CONTOSO } });
    expect(tenant.status).toBe("active");
    // Graph's roles decide (the app registration lists both APIs; the tenant reads through Graph).
    expect(tenant.grantedRoles.sort()).toEqual(["SecurityAlert.Read.All", "SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"]);
    expect(tenant.incidentSource).toBe("graph");
    expect(tenant.onboardedByName).toBe("Amelia Adams");
    // Who consented, from the admin's id token.
    expect([tenant.consentedByName, tenant.consentedByUpn, tenant.verifiedDomain]).toEqual([
      "Megan Bowen",
      "megan.bowen@contosomfg.onmicrosoft.com",
      "contosomfg.onmicrosoft.com",
    ]);
    expect(await lastAuditReason("tenant.onboarded")).toMatch(/consented by Megan Bowen \(megan\.bowen@contosomfg\.onmicrosoft\.com\)/);
    expect((await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } })).status).toBe("consented");

    // The used link, opened again (its page, then its button): refused, and each refusal audited.
    expect(await refusal(flow.getConsentLanding({ token, ipAddress: "127.0.0.1" }))).toBe("link-invalid");
    expect(await refusal(flow.beginAdminConsent({ token, ipAddress: "127.0.0.1" }))).toBe("link-invalid");
    const refused = await db.auditEvent.findMany({ where: { action: "consent.link_refused", targetId: invitationId }, orderBy: { id: "asc" } });
    expect(refused.map((event) => [event.outcome, event.reason, event.ipAddress])).toEqual([
      ["refused", "link-used", "127.0.0.1"],
      ["refused", "link-used", "127.0.0.1"],
    ]);
  });

  it("refuses a callback in another browser than the one that started the consent", async () => {
    const { invitationId, state } = await startConsent({ customerName: "Woodgrove Bank", expectedTenant: WOODGROVE });
    expect(await refusal(callback({ admin_consent: "True", tenant: WOODGROVE, state }, null))).toBe("state-other-browser");
    expect(await refusal(callback({ admin_consent: "True", tenant: WOODGROVE, state }, "C".repeat(43)))).toBe("state-other-browser");
    expect(await lastAuditReason("consent.refused")).toBe("state-other-browser");
    await expectNothingRecorded(invitationId, WOODGROVE);
    // The real browser can still finish: the refusals did not use the state up.
    expect((await callback({ admin_consent: "True", tenant: WOODGROVE, state })).kind).toBe("sign-in");
  });

  it("requires admin_consent=True once no error came back", async () => {
    const { invitationId, state } = await startConsent({ customerName: "Woodgrove Bank" });
    expect(await refusal(callback({ tenant: WOODGROVE, state }))).toBe("consent-not-confirmed");
    expect(await refusal(callback({ tenant: WOODGROVE, state: (await startConsent({ customerName: "Woodgrove Bank" })).state, admin_consent: "False" }))).toBe(
      "consent-not-confirmed",
    );
    await expectNothingRecorded(invitationId, WOODGROVE);
  });

  it("refuses a replayed state and records nothing more", async () => {
    const { state } = await startConsent({ customerName: "Contoso again", expectedTenant: CONTOSO });
    expect((await callback({ admin_consent: "True", tenant: CONTOSO, state })).kind).toBe("sign-in");
    const tenantsBefore = await db.tenant.count();
    expect(await refusal(callback({ admin_consent: "True", tenant: CONTOSO, state }))).toBe("state-reused");
    expect(await db.tenant.count()).toBe(tenantsBefore);
    expect(await lastAuditReason("consent.refused")).toBe("state-reused");
  });

  it("refuses a forged tenant with a valid state: no token for it, nothing recorded", async () => {
    const { invitationId, state } = await startConsent({ customerName: "Woodgrove Bank" });
    // Even with Woodgrove's admin signed in, no consent exists there: the token proves nothing.
    const outcome = await consentAndSignIn({ state, tenant: WOODGROVE });
    const view = await verification.getConsentAttemptView({ attemptId: outcome.attemptId });
    expect(view?.state).toBe("failed");
    expect(view?.reason).toMatch(/AADSTS7000229/);
    await expectNothingRecorded(invitationId, WOODGROVE);
    expect(await lastAuditReason("consent.verification_failed")).toMatch(/7000229/);
  });

  it("refuses a missing, malformed or unknown state", async () => {
    expect(await refusal(callback({ admin_consent: "True", tenant: CONTOSO }))).toBe("state-missing");
    expect(await refusal(callback({ admin_consent: "True", tenant: CONTOSO, state: "<script>" }))).toBe("state-unknown");
    expect(await refusal(callback({ admin_consent: "True", tenant: CONTOSO, state: "B".repeat(43) }))).toBe("state-unknown");
  });

  it("refuses an expired invitation and an expired consent request", async () => {
    const first = await startConsent({ customerName: "Tailspin Toys" });
    await db.consentInvitation.update({ where: { id: first.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(callback({ admin_consent: "True", tenant: TAILSPIN, state: first.state }))).toBe("link-expired");
    expect(await refusal(flow.getConsentLanding({ token: first.token, ipAddress: "127.0.0.1" }))).toBe("link-expired");
    expect(await db.auditEvent.findFirst({ where: { action: "consent.link_refused", targetId: first.invitationId } })).toMatchObject({
      reason: "link-expired",
    });
    const second = await startConsent({ customerName: "Tailspin Toys" });
    await db.consentAttempt.updateMany({ where: { invitationId: second.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(callback({ admin_consent: "True", tenant: TAILSPIN, state: second.state }))).toBe("state-expired");
    await expectNothingRecorded(second.invitationId, TAILSPIN);
  });

  it("refuses a tenant that is not a GUID", async () => {
    const { invitationId, state } = await startConsent({ customerName: "Litware Legal" });
    expect(await refusal(callback({ admin_consent: "True", tenant: "litwarelegal.onmicrosoft.com", state }))).toBe("tenant-invalid");
    await expectNothingRecorded(invitationId, LITWARE);
  });

  it("refuses consent from another tenant than the expected one, named by GUID or by domain", async () => {
    await control(emulator, "POST", `/tenants/${LITWARE}/consent`, {});
    const byGuid = await startConsent({ customerName: "Fabrikam Health", expectedTenant: FABRIKAM });
    expect(await refusal(callback({ admin_consent: "True", tenant: LITWARE, state: byGuid.state }))).toBe("tenant-mismatch");
    await expectNothingRecorded(byGuid.invitationId, LITWARE);
    const byDomain = await startConsent({ customerName: "Fabrikam Health", expectedTenant: "fabrikamhealth.onmicrosoft.com" });
    expect(await refusal(callback({ admin_consent: "True", tenant: LITWARE, state: byDomain.state }))).toBe("tenant-mismatch");
    await expectNothingRecorded(byDomain.invitationId, LITWARE);
  });

  it("shows Microsoft's error, keeps the invitation usable and records only an audit event", async () => {
    const { invitationId, token, state } = await startConsent({ customerName: "Fabrikam Health" });
    const description = "AADSTS65004: User declined to consent to access the app.";
    const outcome = await callback({ error: "access_denied", error_description: description, admin_consent: "True", tenant: FABRIKAM, state });
    expect(outcome.kind).toBe("declined");
    const view = await verification.getConsentAttemptView({ attemptId: outcome.attemptId });
    // Only Microsoft's code is kept with the attempt; its text (anyone can write one) is in the audit only.
    expect(view).toMatchObject({ state: "declined", reason: "AADSTS65004", canRetry: true });
    const stored = await db.consentAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
    expect([stored.errorCode, stored.failureReason]).toEqual(["access_denied", "AADSTS65004"]);
    await expectNothingRecorded(invitationId, FABRIKAM);
    // Microsoft's text is for the audit's details only; the reason is its error code.
    expect(await lastAuditReason("consent.declined")).toBe("access_denied");
    expect((await db.auditEvent.findFirst({ where: { action: "consent.declined" }, orderBy: { id: "desc" } }))?.details).toMatchObject({
      errorDescription: description,
    });
    expect(view?.errorCode).toBe("access_denied");
    await expect(flow.getConsentLanding({ token, ipAddress: "127.0.0.1" })).resolves.toMatchObject({ customerName: "Fabrikam Health" });
    const listed = (await invitations.listConsentInvitations()).find((row) => row.id === invitationId);
    expect(listed).toMatchObject({ state: "declined", declinedReason: "AADSTS65004", declinedErrorCode: "access_denied" });
    // Text alone (no AADSTS code at its start): only the `error` code is kept.
    const second = await startConsent({ customerName: "Fabrikam Health (phishing text)" });
    const phishing = await callback({ error: "access_denied", error_description: "Call +1 555 0100 to finish", tenant: FABRIKAM, state: second.state });
    expect((await db.consentAttempt.findUniqueOrThrow({ where: { id: phishing.attemptId } })).failureReason).toBe("access_denied");
  });

  it.each(["access_denied", "consent_required"] as const)(
    "treats a consent cancelled at Microsoft and returned as %s (with admin_consent=True) as declined, the link still usable",
    async (cancelForm) => {
      await control(emulator, "POST", "/settings", { cancelForm });
      try {
        const { invitationId, token, state } = await startConsent({ customerName: `Woodgrove Bank (cancel, ${cancelForm})` });
        const recordedBefore = await db.tenant.count({ where: { id: WOODGROVE } });
        // The admin presses Cancel on the emulator's real consent page.
        const fields = {
          client_id: emulator.clientId,
          scope: "https://graph.microsoft.com/.default",
          redirect_uri: "http://127.0.0.1:3999/consent/callback",
          state,
        };
        const cancelled = await fetch(`${emulator.browserUrl}/organizations/v2.0/adminconsent`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...fields, step: "decide", user_id: await adminOf(WOODGROVE), decision: "cancel" }).toString(),
        });
        const params = Object.fromEntries(new URL(cancelled.headers.get("location")!).searchParams);
        expect(params).toMatchObject({ error: cancelForm, admin_consent: "True", state });
        // The second form names no tenant: only `error` tells it apart from a success.
        if (cancelForm === "consent_required") expect(params.tenant).toBeUndefined();
        else expect(params.tenant).toBe(WOODGROVE);

        const outcome = await callback(params);
        expect(outcome.kind).toBe("declined");
        expect(await verification.getConsentAttemptView({ attemptId: outcome.attemptId })).toMatchObject({
          state: "declined",
          canRetry: true,
          errorCode: cancelForm,
        });
        expect(await lastAuditReason("consent.declined")).toBe(cancelForm);
        expect(await db.tenant.count({ where: { id: WOODGROVE } })).toBe(recordedBefore);
        expect(await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } })).toMatchObject({ status: "waiting", tenantId: null });
        await expect(flow.getConsentLanding({ token, ipAddress: "127.0.0.1" })).resolves.toMatchObject({ customerName: expect.stringContaining("Woodgrove") });
      } finally {
        await control(emulator, "POST", "/settings", { cancelForm: "access_denied" });
      }
    },
  );

  it("marks consent without the needed roles as Permission missing once the propagation window is over", async () => {
    const { state, invitationId } = await startConsent({ customerName: "Fabrikam Health", access: "read_write", expectedTenant: FABRIKAM });
    await control(emulator, "POST", `/tenants/${FABRIKAM}/consent`, { roles: ["SecurityIncident.Read.All", "SecurityAlert.Read.All"] });
    const outcome = await consentAndSignIn({ state, tenant: FABRIKAM });
    expect((await verification.getConsentAttemptView({ attemptId: outcome.attemptId }))?.state).toBe("pending");
    expect(await db.tenant.count({ where: { id: FABRIKAM } })).toBe(0);
    // Let the propagation window run out, then the next check settles it.
    await db.consentAttempt.update({ where: { id: outcome.attemptId }, data: { verifyDeadline: new Date(Date.now() - 1000), nextVerifyAt: new Date() } });
    await verification.verifyConsentAttempt({ attemptId: outcome.attemptId });
    expect((await verification.getConsentAttemptView({ attemptId: outcome.attemptId }))?.state).toBe("permission_missing");
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: FABRIKAM } });
    expect(tenant.status).toBe("permission_missing");
    expect(tenant.grantedRoles.sort()).toEqual(["SecurityAlert.Read.All", "SecurityIncident.Read.All"]);
    expect((await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } })).status).toBe("consented");
  });

  it("records a consent that granted only the Defender API's permissions as needing re-consent for Graph", async () => {
    const { state } = await startConsent({ customerName: "Tailspin Toys (old app registration)", access: "read_write", expectedTenant: LEGACY });
    // As if the app registration listed no Graph permissions when the admin consented.
    await control(emulator, "POST", `/tenants/${LEGACY}/consent`, { roles: ["Incident.Read.All", "Incident.ReadWrite.All"] });
    const outcome = await consentAndSignIn({ state, tenant: LEGACY });
    await db.consentAttempt.update({ where: { id: outcome.attemptId }, data: { verifyDeadline: new Date(Date.now() - 1000), nextVerifyAt: new Date() } });
    await verification.verifyConsentAttempt({ attemptId: outcome.attemptId });
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: LEGACY } });
    expect([tenant.status, tenant.incidentSource, tenant.grantedRoles, tenant.legacyRoles.sort()]).toEqual([
      "graph_consent_needed",
      "defender",
      [],
      ["Incident.Read.All", "Incident.ReadWrite.All"],
    ]);
    // Re-consent grants Graph's permissions too: the next verification moves the tenant to Graph.
    await control(emulator, "POST", `/tenants/${LEGACY}/consent`, {});
    const { status } = await lifecycle.verifyTenant({ tenantId: LEGACY, actor: { type: "system", name: "test" } });
    expect(status).toBe("active");
    expect((await db.tenant.findUniqueOrThrow({ where: { id: LEGACY } })).incidentSource).toBe("graph");
  });

  it("turns a tenant whose consent was revoked later into Consent revoked after a verification", async () => {
    expect((await db.tenant.findUniqueOrThrow({ where: { id: CONTOSO } })).status).toBe("active");
    await control(emulator, "POST", `/tenants/${CONTOSO}/revoke`);
    const { status, problem } = await lifecycle.verifyTenant({ tenantId: CONTOSO, actor: { type: "system", name: "test" } });
    expect(status).toBe("consent_revoked");
    expect(problem).toMatch(/AADSTS7000229/);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: CONTOSO } });
    expect(tenant.lastErrorCode).toBe("AADSTS7000229");
    expect(tenant.lastErrorMessage).toMatch(/new consent link/);
    expect(await lastAuditReason("tenant.status_changed")).toMatch(/active → consent_revoked/);
  });

  it("refuses a revoked link and lets staff revoke only waiting links", async () => {
    const { invitationId, token, state } = await startConsent({ customerName: "Woodgrove Bank" });
    await invitations.revokeConsentInvitation({ staff: admin, invitationId });
    expect(await refusal(flow.getConsentLanding({ token, ipAddress: "127.0.0.1" }))).toBe("link-invalid");
    const opened = await db.auditEvent.findFirst({ where: { action: "consent.link_refused", targetId: invitationId }, orderBy: { id: "desc" } });
    expect(opened).toMatchObject({ outcome: "refused", reason: "link-revoked", ipAddress: "127.0.0.1" });
    expect(await refusal(callback({ admin_consent: "True", tenant: WOODGROVE, state }))).toBe("link-invalid");
    await expect(invitations.revokeConsentInvitation({ staff: admin, invitationId })).rejects.toThrow(/Only a waiting link/);
  });
  /** Waits for the attempt to leave "pending" (bounded, generous for a loaded machine). */
  async function settled(attemptId: string, timeoutMs = 60_000): Promise<string | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const state = (await verification.getConsentAttemptView({ attemptId }))?.state;
      if (state !== "pending" || Date.now() > until) return state;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it.each(["65001", "no-roles", "alternate"] as const)("retries through consent propagation (%s) in the background until the token proves it", async (mode) => {
    const tenantId = mode === "65001" ? LITWARE : mode === "no-roles" ? ADATUM : TAILSPIN;
    // Propagation lasts until the test ends it below: the first check meets it however slow the machine.
    await control(emulator, "POST", "/settings", { propagationDelayMs: 3_600_000, propagationMode: mode });
    try {
      const { invitationId, state } = await startConsent({ customerName: `Propagation ${mode}`, expectedTenant: tenantId });
      await control(emulator, "POST", `/tenants/${tenantId}/consent`, { propagate: true });
      const outcome = await consentAndSignIn({ state, tenant: tenantId });
      // The first check meets propagation: nothing is recorded yet and the customer sees "finishing up".
      expect((await verification.getConsentAttemptView({ attemptId: outcome.attemptId }))?.state).toBe("pending");
      expect(await db.tenant.count({ where: { id: tenantId } })).toBe(0);
      // The grants have propagated; the background checks go on until a token proves it.
      await control(emulator, "POST", "/settings", { propagationDelayMs: 0 });
      verification.continueConsentVerification({ attemptId: outcome.attemptId });
      expect(await settled(outcome.attemptId)).toBe("verified");
      expect((await db.tenant.findUniqueOrThrow({ where: { id: tenantId } })).status).toBe("active");
      expect((await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } })).status).toBe("consented");
      const tries = (await db.consentAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } })).verifyTries;
      expect(tries).toBeGreaterThan(1);
    } finally {
      await control(emulator, "POST", "/settings", { propagationDelayMs: 0, propagationMode: "alternate" });
    }
  });

  it("releases a check's claim when it fails unexpectedly, so the next check does not wait for the claim to lapse", async () => {
    const { state } = await startConsent({ customerName: "Woodgrove Bank (claim)", expectedTenant: WOODGROVE });
    await control(emulator, "POST", `/tenants/${WOODGROVE}/consent`, {});
    // The process-wide token broker slot (as the web process has it), failing once like a crashed holder.
    const { getTokenBroker, services } = await import("@/server/services");
    const real = getTokenBroker();
    let failuresLeft = 1;
    services().tokenBroker = {
      forget: (tenantId: string, resource?: string) => real.forget(tenantId, resource),
      getAppToken: async (tenantId: string, options: { resource: string }) => {
        if (failuresLeft-- > 0) throw new Error("simulated crash inside the check");
        return real.getAppToken(tenantId, options);
      },
    } as unknown as typeof real;
    try {
      const outcome = await consentAndSignIn({ state, tenant: WOODGROVE });
      expect((await verification.getConsentAttemptView({ attemptId: outcome.attemptId }))?.state).toBe("pending");
      const attempt = await db.consentAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
      // Released: due again in seconds, not after the 30 s claim.
      expect(attempt.nextVerifyAt!.getTime() - Date.now()).toBeLessThan(10_000);
      verification.continueConsentVerification({ attemptId: outcome.attemptId });
      expect(await settled(outcome.attemptId)).toBe("verified");
    } finally {
      services().tokenBroker = real;
    }
  });

  it("a link that names no tenant cannot re-activate an offboarded tenant nor re-bind a known one", async () => {
    // Fabrikam is known (Permission missing, above); offboard it, keeping its data.
    await lifecycle.offboardTenant({ staff: admin, input: { tenantId: FABRIKAM, dataChoice: "keep", confirmName: "Fabrikam Health" } });
    const before = await db.tenant.findUniqueOrThrow({ where: { id: FABRIKAM } });
    await control(emulator, "POST", `/tenants/${FABRIKAM}/consent`, {});

    // The attack: a waiting link for "any tenant", Fabrikam's id in the redirect, the attacker's own sign-in.
    const attack = await startConsent({ customerName: "Anyone" });
    const signedInElsewhere = await consentAndSignIn({ state: attack.state, tenant: FABRIKAM, signInTenant: TAILSPIN });
    expect(signedInElsewhere.kind).toBe("sign-in-failed");
    expect((await verification.getConsentAttemptView({ attemptId: signedInElsewhere.attemptId }))?.reason).toMatch(/another organisation/);
    expect(await lastAuditReason("consent.sign_in_failed")).toMatch(/signed in from tenant/);

    // Even Fabrikam's real admin, through a link that did not name Fabrikam: refused, nothing re-bound.
    const unnamed = await startConsent({ customerName: "Someone else's name" });
    const outcome = await consentAndSignIn({ state: unnamed.state, tenant: FABRIKAM });
    expect(outcome.kind).toBe("verifying");
    const view = await verification.getConsentAttemptView({ attemptId: outcome.attemptId });
    expect(view).toMatchObject({ state: "failed", reason: expect.stringMatching(/already connected/) });
    const after = await db.tenant.findUniqueOrThrow({ where: { id: FABRIKAM } });
    expect([after.status, after.displayName, after.grantedRoles, after.onboardedAt]).toEqual([
      before.status,
      before.displayName,
      before.grantedRoles,
      before.onboardedAt,
    ]);
    expect((await db.consentInvitation.findUniqueOrThrow({ where: { id: unnamed.invitationId } })).status).toBe("waiting");

    // A link made for Fabrikam onboards it again.
    const named = await startConsent({ customerName: "Fabrikam Health", expectedTenant: "fabrikamhealth.onmicrosoft.com" });
    const again = await consentAndSignIn({ state: named.state, tenant: FABRIKAM });
    expect((await verification.getConsentAttemptView({ attemptId: again.attemptId }))?.state).toBe("verified");
    expect((await db.tenant.findUniqueOrThrow({ where: { id: FABRIKAM } })).status).toBe("active");
    expect(await lastAuditReason("tenant.reconsented")).toMatch(/Fabrikam Health: verified/);
  });

  it("records a new tenant from a link naming no tenant as Pending confirmation, synced only once an admin confirms", async () => {
    const { state, invitationId } = await startConsent({ customerName: "NewCo" });
    await control(emulator, "POST", `/tenants/${NEWCO}/consent`, {});
    const outcome = await consentAndSignIn({ state, tenant: NEWCO });
    expect(await verification.getConsentAttemptView({ attemptId: outcome.attemptId })).toMatchObject({ state: "verified", awaitingConfirmation: true });
    const pending = await db.tenant.findUniqueOrThrow({ where: { id: NEWCO } });
    expect([pending.status, pending.consentedByName, pending.verifiedDomain, pending.nextVerifyAt]).toEqual([
      "pending_confirmation",
      "Megan Bowen",
      "testcustomer002.onmicrosoft.com",
      null,
    ]);
    expect((await db.consentInvitation.findUniqueOrThrow({ where: { id: invitationId } })).status).toBe("consented");
    // A health check does not start it.
    expect((await lifecycle.verifyTenant({ tenantId: NEWCO, actor: { type: "system", name: "test" } })).status).toBe("pending_confirmation");
    const { SYNCED_STATUSES } = await import("@/server/tenants/tenant-status");
    expect(SYNCED_STATUSES).not.toContain("pending_confirmation");

    await lifecycle.confirmPendingTenant({ staff: admin, tenantId: NEWCO, ipAddress: "127.0.0.1" });
    const confirmed = await db.tenant.findUniqueOrThrow({ where: { id: NEWCO } });
    expect([confirmed.status, confirmed.confirmedByName]).toEqual(["active", "Amelia Adams"]);
    expect(await lastAuditReason("tenant.confirmed")).toMatch(/NewCo: consented by Megan Bowen/);
    await expect(lifecycle.confirmPendingTenant({ staff: admin, tenantId: NEWCO })).rejects.toThrow(/Only a tenant waiting for confirmation/);
  });

  it("two consents at once for the same new tenant through links naming no tenant: it waits for confirmation, the second link stays unused", async () => {
    // Both checks first meet propagation (no roles yet), so both attempts wait; then both are checked at once.
    await control(emulator, "POST", "/settings", { propagationDelayMs: 600_000, propagationMode: "no-roles" });
    try {
      const links = [await startConsent({ customerName: "RaceCo (first link)" }), await startConsent({ customerName: "RaceCo (second link)" })];
      await control(emulator, "POST", `/tenants/${RACECO}/consent`, { propagate: true });
      const attemptIds: string[] = [];
      for (const link of links) {
        currentNonce = link.browserNonce;
        const outcome = await consentAndSignIn({ state: link.state, tenant: RACECO });
        expect((await verification.getConsentAttemptView({ attemptId: outcome.attemptId }))?.state).toBe("pending");
        attemptIds.push(outcome.attemptId);
      }
      expect(await db.tenant.count({ where: { id: RACECO } })).toBe(0);
      await control(emulator, "POST", "/settings", { propagationDelayMs: 0 });
      (await import("@/server/services")).getTokenBroker().forget(RACECO);
      await db.consentAttempt.updateMany({ where: { id: { in: attemptIds } }, data: { nextVerifyAt: new Date() } });
      const checks = () => Promise.all(attemptIds.map((attemptId) => verification.verifyConsentAttempt({ attemptId })));
      if (kind === "postgres") {
        // Make the race certain: writes to the tenant table wait behind a share lock until both
        // checks have read that the tenant is new and are about to write it.
        let running: Promise<unknown> = Promise.resolve();
        await db.$transaction(
          async (tx) => {
            await tx.$executeRawUnsafe("LOCK TABLE tenant IN SHARE MODE");
            running = checks();
            for (let waited = 0; ; waited += 100) {
              const [{ waiting }] = await db.$queryRawUnsafe<[{ waiting: number }]>(
                "SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = 'tenant'::regclass AND NOT granted",
              );
              if (waiting >= 2 || waited > 60_000) break;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          },
          { timeout: 90_000 },
        );
        await running;
      } else {
        await checks(); // PGlite has one connection: its transactions run one after the other.
      }

      const views = await Promise.all(attemptIds.map((attemptId) => verification.getConsentAttemptView({ attemptId })));
      expect(views.map((view) => view?.state).sort()).toEqual(["failed", "verified"]);
      expect(views.find((view) => view?.state === "failed")?.reason).toMatch(/already connected/);
      const tenant = await db.tenant.findUniqueOrThrow({ where: { id: RACECO } });
      expect([tenant.status, tenant.nextVerifyAt]).toEqual(["pending_confirmation", null]);
      const statuses = await Promise.all(
        links.map(async (link) => (await db.consentInvitation.findUniqueOrThrow({ where: { id: link.invitationId } })).status),
      );
      expect(statuses.sort()).toEqual(["consented", "waiting"]);

      // Even a link made for the tenant does not end the wait: only a Portal.Admin's confirmation does.
      const named = await startConsent({ customerName: "RaceCo", expectedTenant: RACECO });
      const again = await consentAndSignIn({ state: named.state, tenant: RACECO });
      expect((await verification.getConsentAttemptView({ attemptId: again.attemptId }))?.state).toBe("verified");
      expect((await db.tenant.findUniqueOrThrow({ where: { id: RACECO } })).status).toBe("pending_confirmation");
    } finally {
      await control(emulator, "POST", "/settings", { propagationDelayMs: 0, propagationMode: "alternate" });
    }
  });
});
