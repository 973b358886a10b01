import { notFound, redirect } from "next/navigation";
import { ConsentCard } from "@/components/tenants/consent-card";
import { primaryButton } from "@/components/ui/button-styles";
import { consentDeclineWords } from "@/server/tenants/consent-error-words";
import { consentStatusPage, msspName } from "@/server/tenants/consent-pages";

export const metadata = { title: "Consent", robots: { index: false } };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ attemptId: string }> };

export default async function ConsentStatusPage({ params }: Props) {
  const { attemptId } = await params;
  const status = await consentStatusPage({ attemptId });
  if (status.limited) redirect("/consent/refused?reason=rate-limited");
  const { view } = status;
  if (!view) notFound();
  const mssp = msspName();
  const retry = view.canRetry ? (
    <form method="post" action={`/consent/status/${attemptId}/retry`}>
      <button type="submit" className={primaryButton}>
        Try again
      </button>
    </form>
  ) : null;

  switch (view.state) {
    case "pending":
      return (
        <ConsentCard msspName={mssp} title="Finishing up…">
          {/* Reload every few seconds without JavaScript until Microsoft confirms the consent. */}
          <meta httpEquiv="refresh" content="2" />
          <div role="status" aria-live="polite" className="flex items-center gap-3">
            <span aria-hidden="true" className="h-5 w-5 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" />
            <span>Thank you. Microsoft is applying your consent; this usually takes a few seconds and at most about a minute.</span>
          </div>
          <p className="text-xs text-slate-500">Check {view.tries} · You can keep this page open; it updates by itself.</p>
        </ConsentCard>
      );
    case "verified":
      return (
        <ConsentCard msspName={mssp} title="Consent granted" tone="good">
          <p role="status">
            Thank you. {mssp} can now {view.requestedAccess === "read_write" ? "read and update" : "read"} the Microsoft Defender XDR incidents of{" "}
            <strong>{view.customerName}</strong>. Nothing else is needed from you.
          </p>
          <p>
            Tenant ID: <code className="font-mono text-xs">{view.tenantId}</code>
          </p>
          {view.awaitingConfirmation ? <p>{mssp} confirms the new connection before it starts monitoring; you do not need to do anything.</p> : null}
          <p>
            To remove the access later, delete the provider&apos;s application under <em>Enterprise applications</em> in the Microsoft Entra admin center.
          </p>
        </ConsentCard>
      );
    case "permission_missing":
      return (
        <ConsentCard msspName={mssp} title="Consent recorded, but permissions are missing" tone="bad">
          <p role="status">
            Microsoft confirmed the consent for <strong>{view.customerName}</strong>, but the application did not receive the incident permissions it asked for.
            An administrator may have removed them. {mssp} has been told and will send you a new link if needed.
          </p>
        </ConsentCard>
      );
    case "declined":
      return (
        <ConsentCard msspName={mssp} title="Consent was not granted" tone="bad">
          <p role="status">Microsoft reported that consent was not given, so nothing changed in your tenant and nothing was recorded.</p>
          {/* The portal's own words: Microsoft's error_description is text anyone can put in a link. */}
          <p data-testid="consent-decline-reason" className="rounded-md bg-slate-50 p-3 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            {consentDeclineWords({ error: view.errorCode, description: view.reason })}
          </p>
          <p>If this was a mistake, you can try again with the same link.</p>
          {retry}
        </ConsentCard>
      );
    default:
      return (
        <ConsentCard msspName={mssp} title="The consent could not be confirmed" tone="bad">
          <p role="status">{view.reason ?? "Microsoft did not confirm the consent."} Nothing was recorded.</p>
          {retry ?? <p>Ask {mssp} for a new link.</p>}
        </ConsentCard>
      );
  }
}
