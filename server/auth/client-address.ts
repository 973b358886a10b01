/** Best-effort client address for audit and rate limits: the first X-Forwarded-For hop, else X-Real-IP. */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || null;
}
