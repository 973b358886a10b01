import Link from "next/link";
import { tableHeaderCell } from "./table-styles";

/**
 * A column header that sorts the table through its URL: `href` is the view sorted by this column
 * in the direction a click chooses; `active` is this column's current direction, or null when the
 * table is sorted by another column. Screen readers hear the order from aria-sort.
 */
export function SortableHeader({ label, href, active }: { label: string; href: string; active: "asc" | "desc" | null }) {
  return (
    <th scope="col" className={tableHeaderCell} aria-sort={active === null ? "none" : active === "desc" ? "descending" : "ascending"}>
      <Link href={href} className="inline-flex items-center gap-1 hover:text-slate-900 dark:hover:text-white" title={`Sort by ${label.toLowerCase()}`}>
        {label}
        <span aria-hidden="true" className={active ? "text-brand-600 dark:text-brand-100" : "opacity-30"}>
          {active === "asc" ? "▲" : "▼"}
        </span>
      </Link>
    </th>
  );
}

/** The direction a click on a column chooses: the other one when it is the active column, else the column's own default. */
export function nextSortDirection(active: "asc" | "desc" | null, columnDefault: "asc" | "desc"): "asc" | "desc" {
  return active === null ? columnDefault : active === "desc" ? "asc" : "desc";
}
