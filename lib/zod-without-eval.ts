// Zod compiles fast parsers with `new Function` and probes for it first; under the portal's CSP
// (no 'unsafe-eval') the browser reports that probe as a violation even though zod catches it.
// Imported for its effect by modules whose schemas reach the browser, before they build any.
import { z } from "zod";

z.config({ jitless: true });
