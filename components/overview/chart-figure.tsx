import type { ReactNode } from "react";
import { panel } from "./overview-styles";

/**
 * A chart with its caption and the same numbers as a table behind "Show as table": the SVG is one
 * image for assistive technology (role="img" with a summary), the table is the full reading.
 */
export function ChartFigure({
  title,
  description,
  legend,
  table,
  children,
  testId,
}: {
  title: string;
  description?: ReactNode;
  legend?: ReactNode;
  table: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <figure className={panel} data-testid={testId}>
      <figcaption className="mb-3">
        <h2 className="text-base font-semibold">{title}</h2>
        {description ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p> : null}
      </figcaption>
      {legend}
      {children}
      <details className="mt-3">
        <summary className="cursor-pointer text-sm font-medium text-brand-600 hover:underline dark:text-brand-100">Show as table</summary>
        <div className="mt-2 max-h-96 overflow-auto">{table}</div>
      </details>
    </figure>
  );
}

/** A row of colour keys, each with a shape so the chart does not rely on colour alone. */
export function ChartLegend({ items }: { items: { label: string; swatch: string; shape?: "square" | "line" }[] }) {
  return (
    <ul className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
      {items.map((item) => (
        <li key={item.label} className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`${item.swatch} ${item.shape === "line" ? "h-0.5 w-4 rounded" : "h-2.5 w-2.5 rounded-sm"}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
