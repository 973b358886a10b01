import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import ErrorPage from "@/app/error";
import GlobalError from "@/app/global-error";
import NotFound from "@/app/not-found";

// The portal's own error pages (Next.js's defaults style themselves inline, which the CSP refuses):
// each says what happened and what to do, and none shows the error itself.
const leaky = Object.assign(new Error("connect ECONNREFUSED postgres://portal:db-password@10.0.0.5/portal"), { digest: "1234567890" });
const noop = () => undefined;

describe("error pages", () => {
  it("a failing page: a heading, what to do, Try again, and no detail of the error", () => {
    const html = renderToStaticMarkup(createElement(ErrorPage, { error: leaky, retry: noop }));
    expect(html).toContain("Something went wrong");
    expect(html).toMatch(/<button[^>]*type="button"[^>]*>Try again<\/button>/);
    expect(html).not.toMatch(/ECONNREFUSED|db-password|1234567890/);
  });

  it("a failing root layout: a whole document of its own, no detail of the error", () => {
    const html = renderToStaticMarkup(createElement(GlobalError, { error: leaky, retry: noop }));
    expect(html).toMatch(/^<html lang="en">/);
    expect(html).toContain("The portal could not be shown");
    expect(html).toContain("Try again");
    expect(html).not.toMatch(/ECONNREFUSED|db-password|1234567890/);
  });

  it("an unknown address: Page not found, with the way back to the queue", () => {
    const html = renderToStaticMarkup(createElement(NotFound));
    expect(html).toContain("Page not found");
    expect(html).toMatch(/<a[^>]*href="\/"[^>]*>Go to the incident queue<\/a>/);
  });
});
