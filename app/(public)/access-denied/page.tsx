import Link from "next/link";
import { AuthCard } from "@/components/ui/auth-card";
import { secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "No access" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const REASONS: Record<string, { title: string; body: string }> = {
  "foreign-tenant": {
    title: "This account belongs to another organization",
    body: "Only members of the provider's own Microsoft Entra ID tenant can use this portal. Sign in with your work account at the provider. If you are a customer administrator, use the consent link your provider sent you instead.",
  },
  "no-role": {
    title: "You have no access to this portal yet",
    body: "Your account is in the right organization but holds no portal role. Ask an administrator of your Entra ID tenant to assign you one of the app roles Portal.Reader (view), Portal.Analyst (work incidents) or Portal.Admin (also onboard customers) on the portal's enterprise application, then sign in again.",
  },
  "malformed-token": {
    title: "Sign-in could not be verified",
    body: "Microsoft's answer was missing the account or tenant identifiers the portal needs. Try again; if it persists, contact your administrator.",
  },
};

export default async function AccessDeniedPage({ searchParams }: Props) {
  const params = await searchParams;
  const key = typeof params.reason === "string" && params.reason in REASONS ? params.reason : "no-role";
  const reason = REASONS[key]!;
  return (
    <AuthCard title={reason.title}>
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="denied-reason">
        {reason.body}
      </p>
      <div className="mt-6 flex gap-2">
        <Link href="/signin" className={secondaryButton}>
          Sign in with another account
        </Link>
      </div>
    </AuthCard>
  );
}
