import { ConsentCard } from "@/components/tenants/consent-card";
import { CONSENT_REFUSAL_TEXT, type ConsentRefusal } from "@/server/tenants/consent-errors";
import { msspName } from "@/server/tenants/consent-pages";

export const metadata = { title: "Consent refused", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConsentRefusedPage({ searchParams }: Props) {
  const { reason } = await searchParams;
  const key = (typeof reason === "string" && reason in CONSENT_REFUSAL_TEXT ? reason : "state-unknown") as ConsentRefusal;
  const text = CONSENT_REFUSAL_TEXT[key];
  return (
    <ConsentCard msspName={msspName()} title={text.title} tone="bad">
      <p role="alert" data-testid="consent-refusal">
        {text.body}
      </p>
      <p className="text-xs text-slate-500">Nothing was changed or recorded for your organisation.</p>
    </ConsentCard>
  );
}
