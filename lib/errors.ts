/**
 * Errors the portal branches on. Next.js bundles server code more than once (route handlers,
 * server actions, instrumentation), so one class can exist in several copies in one process and
 * `instanceof` fails for an error made by another bundle's copy (the process-wide token broker's,
 * for instance). Every such error carries a stable string `tag`; callers test tags with the guards
 * below, never classes. Tags are string literals, not class names, which minifiers may rename.
 *
 * This module has no server or Node imports: pages and client components may use it too.
 */
export abstract class TaggedError extends Error {
  abstract readonly tag: string;
}

/** True when `error` carries one of `tags`, whichever bundle made it. */
export function hasErrorTag(error: unknown, ...tags: readonly string[]): boolean {
  if (typeof error !== "object" || error === null) return false;
  const tag = (error as { tag?: unknown }).tag;
  return typeof tag === "string" && tags.includes(tag);
}

/** A type guard for the errors whose tag is one of `tags`. */
export function tagGuard<T>(...tags: readonly string[]): (error: unknown) => error is T {
  return (error: unknown): error is T => hasErrorTag(error, ...tags);
}

/**
 * An expected failure whose message is written for people (staff or a customer's admin) and is
 * safe to show them. Anything else is logged whole and shown as a generic message.
 */
export class UserFacingError extends TaggedError {
  readonly userFacing = true;
  readonly tag: string;
  constructor(message: string, tag = "UserFacingError") {
    super(message);
    this.tag = tag;
    this.name = tag;
  }
}

/** Any user-facing error, from any bundle (including subclasses with their own tags). */
export function isUserFacingError(error: unknown): error is UserFacingError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { userFacing?: unknown }).userFacing === true &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/** The message of anything thrown, for logs. */
export function errorMessage(error: unknown): string {
  return error instanceof Error || (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string")
    ? String((error as { message: string }).message)
    : String(error);
}
