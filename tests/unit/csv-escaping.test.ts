import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "@/server/incidents/export-csv";

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+cmd")).toBe("'+cmd");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=x")).toBe("'\t=x");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("neutralises a formula behind leading whitespace or a line break, which importers trim", () => {
    expect(csvCell(" =1+1")).toBe("' =1+1");
    expect(csvCell("   @SUM(A1)")).toBe("'   @SUM(A1)");
    expect(csvCell("\n=cmd|' /C calc'!A0")).toBe(`"'\n=cmd|' /C calc'!A0"`);
    expect(csvCell("\r\n+1")).toBe(`"'\r\n+1"`);
    expect(csvCell("\t\t-1+2")).toBe("'\t\t-1+2");
    expect(csvCell("\r=x")).toBe(`"'\r=x"`);
    expect(csvCell("\u00a0=1")).toBe("'\u00a0=1");
    expect(csvCell("\ufeff=1")).toBe("'\ufeff=1");
    expect(csvCell("\uff1dHYPERLINK(1)")).toBe("'\uff1dHYPERLINK(1)");
    expect(csvCell(" plain text")).toBe(" plain text");
    expect(csvCell("line1\n=not first")).toBe('"line1\n=not first"');
  });

  it("keeps numbers, empty values, dates and lists readable", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(new Date("2025-01-02T03:04:05.000Z"))).toBe("2025-01-02T03:04:05.000Z");
    expect(csvCell(["EDR", "MCAS"])).toBe("EDR; MCAS");
    expect(csvCell("<script>alert('xss')</script>")).toBe("<script>alert('xss')</script>");
  });

  it("ends rows with CRLF", () => {
    expect(csvRow(["a", 1, null, "x,y"])).toBe('a,1,,"x,y"\r\n');
  });
});
