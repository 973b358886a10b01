import { CopyButton } from "../ui/copy-button";

/** The consent link and the ready-to-send message, shown once after an invitation is issued. */
export function IssuedInvitation({ link, message }: { link: string; message: string }) {
  return (
    <section
      aria-labelledby="issued-title"
      className="space-y-4 rounded-xl border border-emerald-300 bg-emerald-50 p-5 dark:border-emerald-800 dark:bg-emerald-950/40"
    >
      <h2 id="issued-title" className="font-semibold">
        Consent link ready
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Copy it now: only a fingerprint of the link is stored, so it cannot be shown again. You can always issue a new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="consent-link" className="sr-only">
          Consent link
        </label>
        <input
          id="consent-link"
          readOnly
          value={link}
          data-testid="consent-link"
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
        <CopyButton text={link} label="Copy link" />
      </div>
      <div>
        <div className="mb-1 flex items-center justify-between">
          <label htmlFor="consent-message" className="text-sm font-medium">
            Message for the customer&apos;s admin
          </label>
          <CopyButton text={message} label="Copy message" />
        </div>
        <textarea
          id="consent-message"
          readOnly
          value={message}
          rows={12}
          className="w-full rounded-md border border-slate-300 bg-white p-3 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
      </div>
    </section>
  );
}
