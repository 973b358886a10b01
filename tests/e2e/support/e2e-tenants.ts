import { generatedTenant, TEST_CUSTOMER_FAMILY } from "../../../emulator/generated-tenants";

/**
 * Which customer tenants each spec file owns. Spec files run in parallel against one portal, one
 * store and one emulator, so no spec may change a tenant another one reads: each gets its own.
 */
export type E2eTenant = { id: string; displayName: string; adminUpn: string };

function testCustomer(index: number): E2eTenant {
  const tenant = generatedTenant(TEST_CUSTOMER_FAMILY, index);
  return { id: tenant.id, displayName: tenant.displayName, adminUpn: tenant.users.find((u) => u.isGlobalAdmin)!.userPrincipalName };
}

/** How many generated customers the emulator serves beside its six seeded ones. */
export const EXTRA_CUSTOMERS = 16;

export const INCIDENT_TENANTS = {
  tailspin: { id: "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94", displayName: "Tailspin Toys", adminUpn: "lee.gu@tailspintoys.onmicrosoft.com" },
  litware: { id: "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5", displayName: "Litware Legal", adminUpn: "nestor.wilke@litwarelegal.onmicrosoft.com" },
  adatum: { id: "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6", displayName: "Adatum Energy", adminUpn: "pradeep.gupta@adatumenergy.onmicrosoft.com" },
} satisfies Record<string, E2eTenant>;

export const ONBOARDING_TENANTS = {
  accept: { id: "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61", displayName: "Contoso Manufacturing", adminUpn: "megan.bowen@contosomfg.onmicrosoft.com" },
  cancel: { id: "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72", displayName: "Fabrikam Health", adminUpn: "isaiah.langer@fabrikamhealth.onmicrosoft.com" },
  forged: { id: "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83", displayName: "Woodgrove Bank", adminUpn: "johanna.lorenz@woodgrovebank.onmicrosoft.com" },
  offboard: testCustomer(0),
  /** The admin closes the tab right after Microsoft's redirect back: the portal verifies on its own. */
  closedTab: testCustomer(15),
} satisfies Record<string, E2eTenant>;

/** Token failures through each path of the built server (verify, callback, action, sync). */
export const TOKEN_FAILURE_TENANTS = {
  verify: testCustomer(1),
  action: testCustomer(2),
  callback: testCustomer(3),
  /** Consented through the callback while Microsoft still answers AADSTS65001 (propagation). */
  callbackPropagation: testCustomer(14),
  /** Onboarded in the portal, but Microsoft refuses their tokens from the start: the sync meets it. */
  syncNotConsented: testCustomer(4),
  syncOldForm: testCustomer(5),
  syncNotFound: testCustomer(6),
  syncDisabled: testCustomer(7),
  syncBlocked: testCustomer(8),
  syncTransient: testCustomer(9),
} satisfies Record<string, E2eTenant>;

/** Onboarded before the portal used Microsoft Graph: consented to the Defender XDR API only. */
export const MIGRATION_TENANTS = {
  reconsent: testCustomer(10),
} satisfies Record<string, E2eTenant>;

/** Notifications: a rule scoped to this tenant sees its new incident reach the demo sink. */
export const NOTIFICATION_TENANTS = {
  notify: testCustomer(11),
} satisfies Record<string, E2eTenant>;

/** Cross-tenant indicators: two customers that meet the same attacker. */
export const INDICATOR_TENANTS = {
  first: testCustomer(12),
  second: testCustomer(13),
} satisfies Record<string, E2eTenant>;

/** Tenants whose consent (in the emulator and the portal) predates Graph. */
export const LEGACY_TENANTS: E2eTenant[] = [MIGRATION_TENANTS.reconsent];

/** Tenants the portal has onboarded (and the emulator consented) before it starts. */
export const ONBOARDED_AT_START: E2eTenant[] = [
  ...LEGACY_TENANTS,
  ...Object.values(INCIDENT_TENANTS),
  NOTIFICATION_TENANTS.notify,
  ...Object.values(INDICATOR_TENANTS),
  TOKEN_FAILURE_TENANTS.verify,
  TOKEN_FAILURE_TENANTS.action,
  TOKEN_FAILURE_TENANTS.syncNotConsented,
  TOKEN_FAILURE_TENANTS.syncOldForm,
  TOKEN_FAILURE_TENANTS.syncNotFound,
  TOKEN_FAILURE_TENANTS.syncDisabled,
  TOKEN_FAILURE_TENANTS.syncBlocked,
  TOKEN_FAILURE_TENANTS.syncTransient,
];
