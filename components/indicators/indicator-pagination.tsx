import { indicatorQueryString, INDICATOR_PAGE_SIZE, MAX_INDICATOR_PAGE, type IndicatorFilters } from "@/server/indicators/indicator-filters";
import { PagerLink } from "../ui/pager-link";

/** Bounded pages (50 rows each) and the CSV of the current filter. */
export function IndicatorPagination({ filters, page, pageCount, total }: { filters: IndicatorFilters; page: number; pageCount: number; total: number }) {
  const last = Math.min(pageCount, MAX_INDICATOR_PAGE);
  const href = (to: number) => `/indicators${indicatorQueryString(filters, { page: to === 1 ? null : to })}`;
  const from = (page - 1) * INDICATOR_PAGE_SIZE + 1;
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center gap-2">
      <span className="text-xs text-slate-500 dark:text-slate-400">
        {from}–{Math.min(total, page * INDICATOR_PAGE_SIZE)} of {total}
      </span>
      <a
        href={`/api/indicators/export${indicatorQueryString(filters, { page: null })}`}
        className="ml-4 text-sm text-brand-600 hover:underline dark:text-brand-100"
        download
      >
        Export CSV (current filter)
      </a>
      <div className="ml-auto flex gap-2">
        <PagerLink rel="prev" href={page > 1 ? href(page - 1) : null} />
        <PagerLink rel="next" href={page < last ? href(page + 1) : null} />
      </div>
    </nav>
  );
}
