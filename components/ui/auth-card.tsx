import type { ReactNode } from "react";

/** The centred card used by the pages seen without a portal session. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4">
      <section className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-2 font-semibold">
          <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded-md bg-brand-500 text-white">
            ◆
          </span>
          MSSP Defender Portal
        </div>
        <h1 className="mb-3 text-xl font-semibold">{title}</h1>
        {children}
      </section>
    </main>
  );
}
