"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: "/signin?signedOut=1" })}
      className="rounded-md px-3 py-1.5 text-sm text-slate-200 ring-1 ring-white/20 hover:bg-white/10 hover:text-white"
    >
      Sign out
    </button>
  );
}
