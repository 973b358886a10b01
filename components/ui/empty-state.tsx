import type { ReactNode } from "react";

/** A centred message for an empty list: what is missing and the next step to take. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section
      aria-label={title}
      className="mx-auto flex max-w-xl flex-col items-center gap-3 rounded-xl border border-dashed border-slate-300 bg-white px-8 py-12 text-center dark:border-slate-700 dark:bg-slate-900"
    >
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="text-sm text-slate-600 dark:text-slate-400">{children}</div>
      {action ? <div className="mt-2">{action}</div> : null}
    </section>
  );
}
