"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Incidents", match: (p: string) => p === "/" || p.startsWith("/incidents") },
  { href: "/overview", label: "Overview", match: (p: string) => p.startsWith("/overview") },
  { href: "/indicators", label: "Indicators", match: (p: string) => p.startsWith("/indicators") },
  { href: "/tenants", label: "Tenants", match: (p: string) => p.startsWith("/tenants") },
  { href: "/audit", label: "Audit", match: (p: string) => p.startsWith("/audit") },
  { href: "/staff", label: "Staff", match: (p: string) => p.startsWith("/staff") },
  { href: "/settings/service-levels", label: "Settings", match: (p: string) => p.startsWith("/settings") },
];

export function PortalNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {LINKS.map((link) => {
        const active = link.match(pathname);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-white/15 text-white" : "text-slate-300 hover:bg-white/10 hover:text-white"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
