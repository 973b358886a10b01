"use client";

import { useId, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { updateIncidentAction } from "@/server/incidents/update-incident";
import type { IncidentSnapshot } from "@/server/incidents/update-incident-apply";
import { SETTABLE_STATUSES, type IncidentChange, type SettableStatus } from "@/server/incidents/update-incident-input";
import { primaryButton, secondaryButton } from "../ui/button-styles";
import type { IncidentSource } from "@/server/microsoft/source-incident";
import { IncidentClassifyFields, initialVerdict } from "./incident-classify-fields";
import { CLASSIFICATION_LABEL, DETERMINATION_LABEL, labelOf, STATUS_LABEL } from "./incident-labels";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";
const small = secondaryButton.replace("px-3.5 py-2", "px-2.5 py-1.5");

type Props = {
  tenantId: string;
  incidentId: string;
  lastUpdateTime: string;
  status: string;
  classification: string | null;
  determination: string | null;
  /** The API the tenant's incidents are written through: its determinations differ. */
  source: IncidentSource;
  tags: string[];
  disabledReason: string | null;
  consentFixHref: string | null;
};

type Message = { tone: "good" | "bad"; text: string; fixHref?: string };

function Section({ title, children, onSubmit }: { title: string; children: ReactNode; onSubmit: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form onSubmit={onSubmit} aria-label={title} className="space-y-2 border-t border-slate-100 pt-3 first:border-t-0 first:pt-0 dark:border-slate-800">
      <h3 className="text-sm font-semibold">{title}</h3>
      <div className="flex flex-wrap items-end gap-2">{children}</div>
    </form>
  );
}

/** Analyst actions on one incident; every change goes to Defender first, then to the store. */
export function IncidentActions(props: Props) {
  const id = useId();
  const disabled = Boolean(props.disabledReason);
  const [pending, startTransition] = useTransition();
  const [expected, setExpected] = useState(props.lastUpdateTime);
  const [message, setMessage] = useState<Message | null>(null);
  const [conflict, setConflict] = useState<{ snapshot: IncidentSnapshot; change: IncidentChange } | null>(null);
  const [email, setEmail] = useState("");
  const [status, setStatus] = useState<SettableStatus>(
    (SETTABLE_STATUSES as readonly string[]).includes(props.status) ? (props.status as SettableStatus) : "InProgress",
  );
  const [verdict, setVerdict] = useState(initialVerdict(props.classification, props.determination, props.source));
  const [comment, setComment] = useState("");
  const [tags, setTags] = useState(props.tags.join(", "));

  function run(change: IncidentChange, expectedLastUpdateTime = expected) {
    startTransition(async () => {
      setMessage(null);
      setConflict(null);
      // The server checks role, tenant permission and input again; disabled buttons are a courtesy.
      const result = await updateIncidentAction({ tenantId: props.tenantId, incidentId: props.incidentId, expectedLastUpdateTime, change });
      if (!result.ok) {
        setMessage({ tone: "bad", text: result.fieldErrors ? Object.values(result.fieldErrors).join(" ") || result.error : result.error });
        return;
      }
      const outcome = result.data;
      if (outcome.kind === "updated") {
        setExpected(outcome.snapshot.lastUpdateTime);
        if (change.op === "comment") setComment("");
        setMessage({ tone: "good", text: "Saved in Defender." });
      } else if (outcome.kind === "conflict") {
        setExpected(outcome.snapshot.lastUpdateTime);
        setConflict({ snapshot: outcome.snapshot, change });
      } else {
        setMessage({ tone: "bad", text: outcome.message, ...(outcome.fixHref ? { fixHref: outcome.fixHref } : {}) });
      }
    });
  }
  const submit = (change: () => IncidentChange) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    run(change());
  };
  const off = disabled || pending;

  return (
    <section
      aria-labelledby={`${id}-h`}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id={`${id}-h`} className="text-base font-semibold">
        Actions
      </h2>
      {props.disabledReason ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="actions-disabled-reason">
          {props.disabledReason}{" "}
          {props.consentFixHref ? (
            <a href={props.consentFixHref} className="font-medium underline">
              Open the tenant page to issue a new consent link
            </a>
          ) : null}
        </p>
      ) : null}

      <Section title="Assign" onSubmit={submit(() => ({ op: "assign", assignedTo: email }))}>
        <button type="button" className={small} disabled={off} onClick={() => run({ op: "assign", assignedTo: "me" })}>
          Assign to me
        </button>
        <label className={label}>
          Assignee email
          <input
            type="email"
            className={`${field} w-56`}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            disabled={disabled}
            placeholder="name@company.com"
            required
          />
        </label>
        <button type="submit" className={small} disabled={off}>
          Assign
        </button>
        <button type="button" className={small} disabled={off} onClick={() => run({ op: "assign", assignedTo: "" })}>
          Unassign
        </button>
      </Section>

      <Section title="Status" onSubmit={submit(() => ({ op: "status", status }))}>
        <label className={label}>
          New status
          <select className={field} value={status} onChange={(e) => setStatus(e.target.value as SettableStatus)} disabled={disabled}>
            {SETTABLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s] ?? s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={small} disabled={off}>
          Set status
        </button>
      </Section>

      <Section title="Classify" onSubmit={submit(() => ({ op: "classify", ...verdict }))}>
        <IncidentClassifyFields value={verdict} onChange={setVerdict} disabled={disabled} source={props.source} />
        <button type="submit" className={small} disabled={off}>
          Classify
        </button>
      </Section>

      <Section title="Comment" onSubmit={submit(() => ({ op: "comment", comment }))}>
        <label className={`${label} w-full`}>
          New comment
          <textarea
            className={`${field} min-h-16 w-full`}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            disabled={disabled}
            maxLength={30000}
            required
          />
        </label>
        <button type="submit" className={small} disabled={off}>
          Add comment
        </button>
      </Section>

      <Section
        title="Tags"
        onSubmit={submit(() => ({
          op: "tags",
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        }))}
      >
        <label className={`${label} grow`}>
          Tags, comma-separated
          <input className={field} value={tags} onChange={(e) => setTags(e.target.value)} disabled={disabled} />
        </label>
        <button type="submit" className={small} disabled={off}>
          Save tags
        </button>
      </Section>

      <div role="status" aria-live="polite" data-testid="action-result" className="text-sm empty:hidden">
        {pending ? <p className="text-slate-500">Sending to Defender…</p> : null}
        {message ? (
          <p className={message.tone === "good" ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}>
            {message.text}{" "}
            {message.fixHref ? (
              <a href={message.fixHref} className="font-medium underline">
                Open the tenant page
              </a>
            ) : null}
          </p>
        ) : null}
        {conflict ? (
          <div
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            data-testid="update-conflict"
          >
            <p className="font-medium">This incident changed in Defender since you opened it. Nothing was sent.</p>
            <p className="mt-1 text-xs">
              Now: {labelOf(STATUS_LABEL, conflict.snapshot.status)} · assigned to {conflict.snapshot.assignedTo ?? "nobody"} ·{" "}
              {labelOf(CLASSIFICATION_LABEL, conflict.snapshot.classification, "not classified")}
              {conflict.snapshot.determination ? ` (${labelOf(DETERMINATION_LABEL, conflict.snapshot.determination)})` : ""} · tags:{" "}
              {conflict.snapshot.tags.join(", ") || "none"}
            </p>
            <div className="mt-2 flex gap-2">
              <button type="button" className={primaryButton} disabled={pending} onClick={() => run(conflict.change, conflict.snapshot.lastUpdateTime)}>
                Apply my change anyway
              </button>
              <button type="button" className={secondaryButton} onClick={() => setConflict(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </section>
  );
}
