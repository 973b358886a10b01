import { describe, expect, it } from "vitest";
import {
  EXTRA_CUSTOMERS,
  INCIDENT_TENANTS,
  INDICATOR_TENANTS,
  MIGRATION_TENANTS,
  NOTIFICATION_TENANTS,
  ONBOARDING_TENANTS,
  TOKEN_FAILURE_TENANTS,
} from "../e2e/support/e2e-tenants";
import { generatedTenant, TEST_CUSTOMER_FAMILY } from "../../emulator/generated-tenants";

// Spec files run in parallel against one portal and one emulator: a tenant two specs use is a
// race (two branches once gave the same generated customer to different specs, and both failed).
describe("end-to-end tenants", () => {
  const groups = { INCIDENT_TENANTS, ONBOARDING_TENANTS, TOKEN_FAILURE_TENANTS, MIGRATION_TENANTS, NOTIFICATION_TENANTS, INDICATOR_TENANTS };
  const all = Object.entries(groups).flatMap(([group, tenants]) =>
    Object.entries(tenants).map(([name, tenant]) => ({ where: `${group}.${name}`, id: tenant.id })),
  );

  it("gives each test tenant to one use only", () => {
    const seen = new Map<string, string>();
    for (const { where, id } of all) {
      expect(seen.get(id), `${where} reuses the tenant of ${seen.get(id)}`).toBeUndefined();
      seen.set(id, where);
    }
  });

  it("uses only generated customers the emulator serves", () => {
    const served = new Set(Array.from({ length: EXTRA_CUSTOMERS }, (_, i) => generatedTenant(TEST_CUSTOMER_FAMILY, i).id));
    const generatedFamily = new Set(Array.from({ length: 200 }, (_, i) => generatedTenant(TEST_CUSTOMER_FAMILY, i).id));
    for (const { where, id } of all) if (generatedFamily.has(id)) expect(served.has(id), `${where} is beyond EXTRA_CUSTOMERS`).toBe(true);
  });
});
