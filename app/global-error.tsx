"use client";

import "./globals.css";

// When even the root layout fails: a page of its own (it replaces the root layout, so it brings
// its html, body and styles). A person sees no detail; the error is in the server log.
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="mx-auto mt-24 max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
          <h1 className="mb-2 text-xl font-semibold">The portal could not be shown</h1>
          <p className="mb-6 text-sm text-slate-600">Try again in a moment; if it keeps happening, tell your portal administrator.</p>
          <button type="button" onClick={() => retry()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
