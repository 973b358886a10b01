import type { ReactNode } from "react";
import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { ROLE_LABEL } from "@/server/auth/roles";
import { PortalNav } from "@/components/ui/portal-nav";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { LegacyModeBanner } from "@/components/tenants/migration-notice";
import { getIncidentSourceSummary } from "@/server/tenants/tenant-directory";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff();
  const sources = await getIncidentSourceSummary();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      <header className="bg-slate-900 text-white dark:bg-slate-900/80 dark:border-b dark:border-slate-800">
        <div className="mx-auto flex h-14 max-w-screen-2xl items-center gap-6 px-4 sm:px-6">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-brand-500 text-sm">
              ◆
            </span>
            <span>MSSP Defender Portal</span>
          </Link>
          <PortalNav />
          <div className="ml-auto flex items-center gap-3">
            <div className="hidden text-right leading-tight sm:block">
              <div className="text-sm font-medium" data-testid="staff-name">
                {staff.name}
              </div>
              <div className="text-xs text-slate-400" data-testid="staff-role">
                {ROLE_LABEL[staff.role]}
              </div>
            </div>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </div>
      </header>
      <LegacyModeBanner summary={sources} />
      <main id="main" className="mx-auto max-w-screen-2xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </>
  );
}
