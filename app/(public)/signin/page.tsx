import { redirect } from "next/navigation";
import { SESSION_ENDED_MESSAGE, getStaffSession } from "@/server/auth/require-staff";
import { portalReturnPath } from "@/server/auth/portal-return-path";
import { AuthCard } from "@/components/ui/auth-card";
import { SignInButton } from "@/components/ui/sign-in-button";

export const metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// next-auth error codes, in words; anything else gets the generic message.
const ERRORS: Record<string, string> = {
  OAuthCallback: "Microsoft sign-in could not be completed. Please try again.",
  OAuthSignin: "The sign-in request to Microsoft could not be started. Please try again.",
  AccessDenied: "You do not have access to this portal.",
  SessionRequired: "Please sign in to continue.",
  Callback: "Sign-in could not be completed. Please try again.",
};

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only a path on the portal's own origin: never bounce a signed-in person to another host.
  const callbackUrl = portalReturnPath(params.callbackUrl);
  if (await getStaffSession()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : null;
  return (
    <AuthCard title="Sign in">
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        For staff of the managed security provider. Use your work account in the provider&apos;s Microsoft Entra ID tenant.
      </p>
      {params.session === "ended" && !params.signedOut ? (
        <p
          role="alert"
          data-testid="session-ended"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {SESSION_ENDED_MESSAGE}
        </p>
      ) : null}
      {params.signedOut ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          You are signed out.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      <SignInButton callbackUrl={callbackUrl} />
      <p className="mt-6 text-xs text-slate-500">Customer administrators do not sign in here: open the consent link your provider sent you.</p>
    </AuthCard>
  );
}
