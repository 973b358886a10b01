"use client";

import { useRef, useState, type KeyboardEvent } from "react";

export type TenantChoice = { id: string; displayName: string };

/** Where the picker reads every tenant it can offer (app/api/tenants/choices). */
const CHOICES_URL = "/api/tenants/choices";
/** Rows listed at once besides the chosen ones; typing narrows the rest. */
const SHOWN = 100;
/** From this many tenants on, a find box narrows the list. */
const FIND_FROM = 2;

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const row = "flex items-center gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50 dark:hover:bg-slate-700";

type Loaded = { state: "idle" } | { state: "loading" } | { state: "ready"; tenants: TenantChoice[] } | { state: "failed"; message: string };

async function fetchChoices(): Promise<TenantChoice[]> {
  const response = await fetch(CHOICES_URL, { credentials: "same-origin", headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await response.json().catch(() => null)) as { tenants?: TenantChoice[]; message?: string } | null;
  if (!response.ok || !Array.isArray(body?.tenants)) throw new Error(body?.message ?? `The portal answered ${response.status}.`);
  return body.tenants;
}

/**
 * The tenant multi-select of a GET filter form (the queue, the overview): each chosen tenant is a
 * ticked checkbox named `name`, so the choice lives in the URL like every other filter.
 *
 * A large MSSP has a thousand tenants. Rendering all of them into every page made the queue page
 * 1.3 MB and most of its server time, so the page brings only the chosen tenants and the total; the
 * whole list is fetched once, the first time the picker opens, and a find box narrows it.
 */
export function TenantPicker({ name, chosen, tenantCount }: { name: string; chosen: TenantChoice[]; tenantCount: number }) {
  const [picked, setPicked] = useState<TenantChoice[]>(chosen);
  const [loaded, setLoaded] = useState<Loaded>({ state: "idle" });
  const [query, setQuery] = useState("");
  const [touched, setTouched] = useState<ReadonlyMap<string, TenantChoice>>(() => new Map());
  const loading = useRef(false);

  function load() {
    if (loading.current || loaded.state === "ready") return;
    loading.current = true;
    setLoaded({ state: "loading" });
    fetchChoices()
      .then((tenants) => setLoaded({ state: "ready", tenants }))
      .catch((error: unknown) => setLoaded({ state: "failed", message: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        loading.current = false;
      });
  }

  function toggle(tenant: TenantChoice, on: boolean) {
    setTouched((current) => new Map(current).set(tenant.id, tenant));
    setPicked((current) => (on ? [...current.filter((t) => t.id !== tenant.id), tenant] : current.filter((t) => t.id !== tenant.id)));
  }

  // Enter in the find box narrows the list; it must not submit the filter form.
  function keepEnter(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") event.preventDefault();
  }

  // One list in name order: the chosen tenants, those ticked or unticked since the page loaded (so a
  // row never jumps away under the pointer), and the first matches of the find box.
  const pickedIds = new Set(picked.map((t) => t.id));
  const needle = query.trim().toLocaleLowerCase();
  const all = loaded.state === "ready" ? loaded.tenants : [];
  const matching = all.filter(
    (t) => !pickedIds.has(t.id) && !touched.has(t.id) && (!needle || t.displayName.toLocaleLowerCase().includes(needle) || t.id.startsWith(needle)),
  );
  const kept = new Map<string, TenantChoice>([...touched, ...picked.map((t): [string, TenantChoice] => [t.id, t])]);
  const listed = [...kept.values(), ...matching.slice(0, SHOWN)].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  const more = matching.length - Math.min(matching.length, SHOWN);
  const summary = picked.length ? `${picked.length} selected` : "All";

  return (
    <details className="relative" onToggle={(event) => event.currentTarget.open && load()}>
      <summary className={`${field} cursor-pointer list-none`} aria-label={`Tenants: ${picked.length ? summary : "all"}`}>
        Tenants: {summary} <span aria-hidden="true">▾</span>
      </summary>
      <fieldset className="absolute z-20 mt-1 max-h-80 w-72 overflow-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-800">
        <legend className="sr-only">Tenants</legend>
        {tenantCount === 0 ? <p className="p-1 text-xs text-slate-500">No tenants onboarded.</p> : null}
        {tenantCount >= FIND_FROM ? (
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={keepEnter}
            aria-label="Find a tenant"
            placeholder={`Find among ${tenantCount.toLocaleString("en-US")} tenants`}
            className={`${field} mb-1 w-full`}
          />
        ) : null}
        {listed.map((tenant) => (
          <label key={tenant.id} className={row}>
            <input
              type="checkbox"
              name={name}
              value={tenant.id}
              checked={pickedIds.has(tenant.id)}
              onChange={(event) => toggle(tenant, event.target.checked)}
            />
            <span className="truncate" title={tenant.id}>
              {tenant.displayName}
            </span>
          </label>
        ))}
        <p role="status" className="px-1 pt-1 text-xs text-slate-500 dark:text-slate-400">
          {loaded.state === "loading" ? "Loading tenants…" : null}
          {loaded.state === "ready" && more > 0 ? `${more.toLocaleString("en-US")} more: type to narrow the list.` : null}
          {loaded.state === "ready" && needle && matching.length === 0 ? "No other tenant matches." : null}
        </p>
        {loaded.state === "failed" ? (
          <p role="alert" className="px-1 pt-1 text-xs text-red-700 dark:text-red-300">
            The tenant list could not be loaded: {loaded.message} Close and open the list to try again.
          </p>
        ) : null}
      </fieldset>
    </details>
  );
}
