import { describe, expect, it } from "vitest";
import { clientAddressFrom, trustedHopsFrom } from "@/scripts/lib/client-chain.mjs";

describe("the client address comes from the socket, not from headers a client writes", () => {
  it("ignores X-Forwarded-For entirely when no proxy is trusted (the default)", () => {
    expect(clientAddressFrom("::ffff:198.51.100.7", "1.2.3.4", 0)).toBe("198.51.100.7");
    expect(clientAddressFrom("2001:db8::1", "1.2.3.4, 5.6.7.8", 0)).toBe("2001:db8::1");
    expect(clientAddressFrom(undefined, "1.2.3.4", 0)).toBeNull();
  });

  it("takes the rightmost hop the trusted proxies did not add; what the client wrote to the left is ignored", () => {
    // One proxy: it appended the address it saw (203.0.113.7); "6.6.6.6" was forged by the client.
    expect(clientAddressFrom("10.0.0.2", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddressFrom("10.0.0.2", ["9.9.9.9", "203.0.113.7"], 1)).toBe("203.0.113.7");
    // Two proxies: the second appended the first's address.
    expect(clientAddressFrom("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    // No header although a proxy is trusted: the peer is all there is.
    expect(clientAddressFrom("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    // Garbage is not an address.
    expect(clientAddressFrom("10.0.0.2", "<script>, 203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("reads TRUSTED_PROXY_HOPS as a small whole number, default 0", () => {
    expect([trustedHopsFrom(undefined), trustedHopsFrom(""), trustedHopsFrom("2")]).toEqual([0, 0, 2]);
    expect(() => trustedHopsFrom("-1")).toThrow(/TRUSTED_PROXY_HOPS is invalid/);
    expect(() => trustedHopsFrom("yes")).toThrow(/TRUSTED_PROXY_HOPS is invalid/);
  });
});
