import Link from "next/link";
import { secondaryButton } from "./button-styles";

const disabled = `${secondaryButton} pointer-events-none opacity-50`;

/** "← Previous" or "Next →": a link to that page, or a disabled button when there is none (href null). */
export function PagerLink({ rel, href }: { rel: "prev" | "next"; href: string | null }) {
  const label = rel === "prev" ? "← Previous" : "Next →";
  return href ? (
    <Link href={href} className={secondaryButton} rel={rel}>
      {label}
    </Link>
  ) : (
    <span className={disabled} aria-disabled="true">
      {label}
    </span>
  );
}
