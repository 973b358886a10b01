export declare const CLIENT_ADDRESS_HEADER: "x-portal-client-address";
export declare function clientAddressFrom(
  socketAddress: string | null | undefined,
  forwardedFor: string | string[] | null | undefined,
  trustedHops: number,
): string | null;
export declare function trustedHopsFrom(raw: string | undefined): number;
