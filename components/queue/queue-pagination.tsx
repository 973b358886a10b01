import Link from "next/link";
import { queueQueryString, type QueueFilters } from "@/server/incidents/queue-filters";
import { secondaryButton } from "../ui/button-styles";
import { PagerLink } from "../ui/pager-link";

/** Previous / next by keyset cursor; the cursor lives in the URL like every other filter. */
export function QueuePagination({
  filters,
  nextCursor,
  prevCursor,
  shown,
  exportHref,
}: {
  filters: QueueFilters;
  nextCursor: string | null;
  prevCursor: string | null;
  shown: number;
  exportHref: string;
}) {
  const base = { after: null, before: null };
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center gap-2">
      <span className="text-xs text-slate-500 dark:text-slate-400">{shown} on this page</span>
      <a href={exportHref} className="ml-4 text-sm text-brand-600 hover:underline dark:text-brand-100" download>
        Export CSV (current filter)
      </a>
      <div className="ml-auto flex gap-2">
        {filters.after || filters.before ? (
          <Link href={`/${queueQueryString(filters, base)}`} className={secondaryButton}>
            First page
          </Link>
        ) : null}
        <PagerLink rel="prev" href={prevCursor ? `/${queueQueryString(filters, { ...base, before: prevCursor })}` : null} />
        <PagerLink rel="next" href={nextCursor ? `/${queueQueryString(filters, { ...base, after: nextCursor })}` : null} />
      </div>
    </nav>
  );
}
