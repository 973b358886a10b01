"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { primaryButton } from "./button-styles";

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("azure-ad", { callbackUrl });
      }}
      className={`${primaryButton} w-full justify-center py-2.5`}
    >
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 21 21">
        <rect x="1" y="1" width="9" height="9" fill="#f25022" />
        <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
        <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
        <rect x="11" y="11" width="9" height="9" fill="#ffb900" />
      </svg>
      {pending ? "Redirecting to Microsoft…" : "Sign in with Microsoft"}
    </button>
  );
}
