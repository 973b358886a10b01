import { describe, expect, it } from "vitest";
import { decideSignIn } from "@/server/auth/sign-in-decision";
import { highestRole, roleAllows } from "@/server/auth/roles";

const MSP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

describe("decideSignIn", () => {
  it("lets in a member of the MSSP tenant with a portal role, taking the strongest role", () => {
    expect(decideSignIn({ tid: MSP, oid: "o1", roles: ["Portal.Reader", "Portal.Analyst"] }, MSP)).toEqual({ allowed: true, role: "Portal.Analyst" });
    expect(decideSignIn({ tid: MSP.toUpperCase(), oid: "o1", roles: ["Portal.Admin"] }, MSP)).toEqual({ allowed: true, role: "Portal.Admin" });
  });

  it("refuses a user of another tenant even with a portal role", () => {
    expect(decideSignIn({ tid: "99999999-bbbb-cccc-dddd-eeeeeeeeeeee", oid: "o1", roles: ["Portal.Admin"] }, MSP)).toEqual({
      allowed: false,
      reason: "foreign-tenant",
    });
  });

  it("refuses a member without a portal role, and ignores unknown roles", () => {
    expect(decideSignIn({ tid: MSP, oid: "o1" }, MSP)).toEqual({ allowed: false, reason: "no-role" });
    expect(decideSignIn({ tid: MSP, oid: "o1", roles: ["Something.Else"] }, MSP)).toEqual({ allowed: false, reason: "no-role" });
  });

  it("refuses a token without tid or oid", () => {
    expect(decideSignIn({ oid: "o1" }, MSP)).toEqual({ allowed: false, reason: "malformed-token" });
    expect(decideSignIn(undefined, MSP)).toEqual({ allowed: false, reason: "malformed-token" });
  });
});

describe("roles", () => {
  it("ranks Admin over Analyst over Reader", () => {
    expect(highestRole(["Portal.Reader", "Portal.Admin"])).toBe("Portal.Admin");
    expect(roleAllows("Portal.Admin", "Analyst")).toBe(true);
    expect(roleAllows("Portal.Analyst", "Admin")).toBe(false);
    expect(roleAllows("Portal.Reader", "Reader")).toBe(true);
    expect(roleAllows(null, "Reader")).toBe(false);
  });
});
