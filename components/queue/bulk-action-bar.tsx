"use client";

import { useEffect, useState, useTransition } from "react";
import { bulkUpdateIncidentsAction, type BulkItemResult } from "@/server/incidents/update-incident";
import { SETTABLE_STATUSES, type IncidentChange, type SettableStatus } from "@/server/incidents/update-incident-input";
import { primaryButton } from "../ui/button-styles";
import { IncidentClassifyFields, initialVerdict } from "../incidents/incident-classify-fields";
import { STATUS_LABEL } from "../incidents/incident-labels";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";

type Op = "assign-me" | "assign" | "unassign" | "status" | "classify" | "comment" | "tags";

function selectedKeys(formId: string): string[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name=incident][form="${formId}"]:checked`)].map((box) => box.value);
}

/** Acts on the checked rows of the queue (any tenants); reports the outcome per incident. */
export function BulkActionBar({ formId, disabledReason, username }: { formId: string; disabledReason: string | null; username: string }) {
  const [op, setOp] = useState<Op>("assign-me");
  const [email, setEmail] = useState("");
  const [status, setStatus] = useState<SettableStatus>("InProgress");
  const [verdict, setVerdict] = useState(initialVerdict());
  const [comment, setComment] = useState("");
  const [tags, setTags] = useState("");
  const [count, setCount] = useState(0);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [results, setResults] = useState<BulkItemResult[]>([]);
  const disabled = Boolean(disabledReason);

  useEffect(() => {
    const update = () => setCount(selectedKeys(formId).length);
    document.addEventListener("change", update);
    update();
    return () => document.removeEventListener("change", update);
  }, [formId]);

  function change(): IncidentChange {
    switch (op) {
      case "assign-me":
        return { op: "assign", assignedTo: "me" };
      case "assign":
        return { op: "assign", assignedTo: email };
      case "unassign":
        return { op: "assign", assignedTo: "" };
      case "status":
        return { op: "status", status };
      case "classify":
        return { op: "classify", ...verdict };
      case "comment":
        return { op: "comment", comment };
      case "tags":
        return {
          op: "tags",
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        };
    }
  }

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const incidents = selectedKeys(formId);
    startTransition(async () => {
      setResults([]);
      // The server checks role and input again; the disabled state here is only a courtesy.
      const result = await bulkUpdateIncidentsAction({ incidents, change: change() });
      if (!result.ok) {
        setMessage(result.fieldErrors ? Object.values(result.fieldErrors).join(" ") || result.error : result.error);
        return;
      }
      const updated = result.data.filter((r) => r.outcome.kind === "updated").length;
      setMessage(
        `${updated} of ${result.data.length} updated${updated < result.data.length ? `, ${result.data.length - updated} not updated (see below)` : ""}.`,
      );
      setResults(result.data);
    });
  }

  return (
    <form
      id={formId}
      onSubmit={submit}
      aria-label="Update selected incidents"
      className="mb-3 rounded-xl border border-slate-200 bg-white px-3 py-2 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-end gap-3">
        <span className="self-center text-sm font-medium" data-testid="bulk-count">
          {count} selected
        </span>
        <label className={label}>
          Action
          <select className={field} value={op} disabled={disabled} onChange={(e) => setOp(e.target.value as Op)}>
            <option value="assign-me">Assign to me</option>
            <option value="assign">Assign to…</option>
            <option value="unassign">Unassign</option>
            <option value="status">Change status</option>
            <option value="classify">Classify</option>
            <option value="comment">Add comment</option>
            <option value="tags">Set tags</option>
          </select>
        </label>
        {op === "assign-me" ? <span className="self-center text-xs text-slate-500">as {username}</span> : null}
        {op === "assign" ? (
          <label className={label}>
            Assignee email
            <input
              type="email"
              className={`${field} w-64`}
              value={email}
              disabled={disabled}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="name@company.com"
              required
            />
          </label>
        ) : null}
        {op === "status" ? (
          <label className={label}>
            New status
            <select className={field} value={status} disabled={disabled} onChange={(e) => setStatus(e.target.value as SettableStatus)}>
              {SETTABLE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s] ?? s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {op === "classify" ? <IncidentClassifyFields value={verdict} onChange={setVerdict} disabled={disabled} /> : null}
        {op === "comment" ? (
          <label className={label}>
            Comment
            <input className={`${field} w-80`} value={comment} disabled={disabled} onChange={(e) => setComment(e.target.value)} required maxLength={30000} />
          </label>
        ) : null}
        {op === "tags" ? (
          <label className={label}>
            Tags (comma-separated, replaces existing)
            <input className={`${field} w-72`} value={tags} disabled={disabled} onChange={(e) => setTags(e.target.value)} />
          </label>
        ) : null}
        <button type="submit" className={primaryButton} disabled={disabled || pending || count === 0} title={disabledReason ?? undefined}>
          {pending ? "Updating…" : "Apply to selected"}
        </button>
        {disabledReason ? (
          <span className="self-center text-xs text-slate-600 dark:text-slate-400" data-testid="actions-disabled-reason">
            {disabledReason}
          </span>
        ) : null}
      </div>
      <div role="status" aria-live="polite" className="text-sm empty:hidden" data-testid="bulk-result">
        {message ? <p className="mt-2 font-medium">{message}</p> : null}
        {results.some((r) => r.outcome.kind !== "updated") ? (
          <ul className="mt-1 space-y-0.5 text-xs">
            {results
              .filter((r) => r.outcome.kind !== "updated")
              .map((r) => (
                <li key={`${r.tenantId}:${r.incidentId}`}>
                  <a className="font-mono text-brand-600 hover:underline dark:text-brand-100" href={`/incidents/${r.tenantId}/${r.incidentId}`}>
                    #{r.incidentId}
                  </a>{" "}
                  {r.outcome.kind === "conflict"
                    ? "changed in Defender meanwhile; not updated. Review it and try again."
                    : r.outcome.kind === "failed"
                      ? r.outcome.message
                      : null}
                  {r.outcome.kind === "failed" && r.outcome.fixHref ? (
                    <>
                      {" "}
                      <a className="text-brand-600 underline dark:text-brand-100" href={r.outcome.fixHref}>
                        Fix on the tenant page
                      </a>
                    </>
                  ) : null}
                </li>
              ))}
          </ul>
        ) : null}
      </div>
    </form>
  );
}
