// Server-rendered pages for the browser flows. Every dynamic value goes through escapeHtml.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Hidden inputs that carry the original request parameters through a form post. */
export function hiddenFields(params: Record<string, string | null | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
}

const STYLE = `
  body { font-family: "Segoe UI", system-ui, sans-serif; background: #f2f2f2; margin: 0; color: #1b1b1b; }
  main { max-width: 30rem; margin: 3rem auto; background: #fff; padding: 2rem 2.5rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  .brand { font-weight: 600; color: #5e5e5e; margin: 0 0 1rem; }
  h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 1rem; }
  h2 { font-size: 1.1rem; font-weight: 600; margin: 1.5rem 0 .5rem; }
  h3 { font-size: .95rem; font-weight: 600; margin: 1rem 0 .25rem; color: #444; }
  ul.accounts { list-style: none; padding: 0; margin: 0; }
  ul.accounts li { margin: 0 0 .25rem; }
  button.account { display: block; width: 100%; text-align: left; background: none; border: 1px solid transparent; padding: .6rem .75rem; cursor: pointer; font: inherit; }
  button.account:hover, button.account:focus-visible { background: #e6e6e6; border-color: #0067b8; outline: none; }
  .name { display: block; font-weight: 600; }
  .meta { display: block; color: #5e5e5e; font-size: .875rem; }
  .actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.5rem; }
  .actions button { font: inherit; padding: .45rem 1.5rem; border: 1px solid #8a8886; background: #fff; cursor: pointer; }
  .actions button.primary { background: #0067b8; border-color: #0067b8; color: #fff; }
  .actions button:focus-visible { outline: 2px solid #1b1b1b; outline-offset: 2px; }
  .error-code { font-family: monospace; background: #fde7e9; padding: .5rem; }
  .note { color: #5e5e5e; font-size: .875rem; }
`;

export function renderPage(title: string, mainHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Microsoft</p>
${mainHtml}
</main>
</body>
</html>`;
}

/** The page Entra ID shows when it cannot redirect back (bad client, bad redirect URI, …). */
export function renderErrorPage(code: number, message: string): string {
  return renderPage(
    "Sign in to your account",
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p class="error-code" role="alert">AADSTS${code}: ${escapeHtml(message)}</p>`,
  );
}
