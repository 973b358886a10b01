// Ids the portal handles, checked one way everywhere. Pure: no server or Node imports, so pages,
// client components, the server and the emulator's tests share it.

const GUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const GUID = new RegExp(`^${GUID_TEXT}$`, "i");
const GUID_IN_TEXT = new RegExp(GUID_TEXT, "i");

/** A GUID, in either case (Microsoft and people write both). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A tenant id as the portal stores and links it: a GUID in lower case. */
export function isTenantId(value: string): boolean {
  return GUID.test(value) && value === value.toLowerCase();
}

/** A tenant id as the portal stores it (a GUID in lower case), or null when `value` is not one. */
export function tenantIdOf(value: string): string | null {
  const trimmed = value.trim();
  return isGuid(trimmed) ? trimmed.toLowerCase() : null;
}

/** The first GUID inside a longer text (an issuer URL, say), in lower case; null when there is none. */
export function findGuid(text: string): string | null {
  return text.match(GUID_IN_TEXT)?.[0].toLowerCase() ?? null;
}

/** A Defender / Graph incident id: a positive whole number the database can hold (1 to 15 digits). */
export function isIncidentId(value: string): boolean {
  return /^\d{1,15}$/.test(value);
}
