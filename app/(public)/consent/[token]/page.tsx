import { redirect } from "next/navigation";
import { ConsentCard } from "@/components/tenants/consent-card";
import { primaryButton } from "@/components/ui/button-styles";
import { DateTime } from "@/components/ui/date-time";
import { getConsentLanding } from "@/server/tenants/consent-flow";
import { isConsentRefused } from "@/server/tenants/consent-errors";
import { allowConsentRequest, consentPermissions, msspName } from "@/server/tenants/consent-pages";

export const metadata = { title: "Grant access", robots: { index: false } };

type Props = { params: Promise<{ token: string }> };

export default async function ConsentLandingPage({ params }: Props) {
  const { token } = await params;
  const { allowed, ipAddress } = await allowConsentRequest();
  if (!allowed) redirect("/consent/refused?reason=rate-limited");
  let landing;
  try {
    landing = await getConsentLanding({ token, ipAddress });
  } catch (error) {
    if (isConsentRefused(error)) redirect(`/consent/refused?reason=${error.reason}`);
    throw error;
  }
  const write = landing.requestedAccess === "read_write";
  const permissions = consentPermissions();
  return (
    <ConsentCard msspName={msspName()} title={`${landing.msspName} asks for access to your Defender incidents`}>
      <p>
        Hello <strong>{landing.customerName}</strong>. Your managed security provider, {landing.msspName}, monitors your organisation&apos;s Microsoft Defender
        XDR incidents. To do so, a <strong>Global Administrator</strong> of your Microsoft Entra ID tenant grants their application admin consent once.
      </p>
      <div className="rounded-lg bg-slate-50 p-4 dark:bg-slate-800">
        <h2 className="mb-2 font-semibold text-slate-900 dark:text-slate-100">What the application will be able to do</h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>Read your Microsoft Defender XDR incidents, with their alerts, devices and evidence ({permissions.read.join(", ")}).</li>
          {write ? (
            <li>
              Update those incidents: assign, change status, classify, tag and comment (
              {permissions.readWrite.filter((p) => !permissions.read.includes(p)).join(", ")}).
            </li>
          ) : null}
          <li>Nothing else: no access to mail, files, users or settings.</li>
        </ul>
        <p className="mt-2 text-xs text-slate-500">
          Requested: {landing.accessLabel}. These are application permissions; Microsoft shows them again before you accept.
        </p>
      </div>
      <div>
        <h2 className="mb-1 font-semibold text-slate-900 dark:text-slate-100">How to remove it later</h2>
        <p>
          In the Microsoft Entra admin center, open <em>Enterprise applications</em>, select the provider&apos;s application and choose <em>Delete</em> (or
          remove its permissions). Access stops at once.
        </p>
      </div>
      <form method="post" action={`/consent/${token}/start`} className="pt-2">
        <button type="submit" className={`${primaryButton} w-full justify-center py-2.5`}>
          Continue to Microsoft to grant consent
        </button>
      </form>
      <p className="text-xs text-slate-500">
        This link is valid until <DateTime value={landing.expiresAt} /> and works once.
      </p>
    </ConsentCard>
  );
}
