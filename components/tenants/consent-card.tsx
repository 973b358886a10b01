import type { ReactNode } from "react";

/** The frame of every page a customer's admin sees: the MSSP's name, never a staff menu. */
export function ConsentCard({
  msspName,
  title,
  children,
  tone = "neutral",
}: {
  msspName: string;
  title: string;
  children: ReactNode;
  tone?: "neutral" | "good" | "bad";
}) {
  const accent = tone === "good" ? "bg-emerald-500" : tone === "bad" ? "bg-amber-500" : "bg-brand-500";
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4 py-10">
      <section className="w-full max-w-xl overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className={`h-1.5 ${accent}`} aria-hidden="true" />
        <div className="p-8">
          <p className="mb-2 text-sm font-medium text-slate-500 dark:text-slate-400">{msspName} · Microsoft Defender XDR onboarding</p>
          <h1 className="mb-4 text-2xl font-semibold tracking-tight">{title}</h1>
          <div className="space-y-4 text-sm leading-6 text-slate-700 dark:text-slate-300">{children}</div>
        </div>
      </section>
    </main>
  );
}
