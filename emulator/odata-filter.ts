// Parses the OData $filter subset the Defender incidents API supports and turns it into a predicate.
// Supported: lastUpdateTime / createdTime with eq ne gt ge lt le and ISO datetimes (quoted or not),
// status / assignedTo with eq ne and a quoted string or null; and, or, not, parentheses.
import { normalizeDefenderTime } from "./defender-time";
import type { Incident } from "./model";

export class ODataFilterError extends Error {}

export type IncidentPredicate = (incident: Incident) => boolean;

const TIME_FIELDS = new Set(["lastUpdateTime", "createdTime"]);
const STRING_FIELDS = new Set(["status", "assignedTo"]);
const OPERATORS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

type Token = { kind: "lparen" | "rparen" | "string" | "word"; value: string };

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "lparen" : "rparen", value: c });
      i++;
    } else if (c === "'") {
      // OData escapes a quote inside a string by doubling it.
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) throw new ODataFilterError("Unterminated string literal in $filter.");
        if (input[i] === "'" && input[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (input[i] === "'") {
          i++;
          break;
        } else {
          value += input[i++];
        }
      }
      tokens.push({ kind: "string", value });
    } else {
      const match = /^[^\s()']+/.exec(input.slice(i))!;
      tokens.push({ kind: "word", value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

export function parseIncidentFilter(input: string): IncidentPredicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKeyword = (word: string) => peek()?.kind === "word" && peek()!.value.toLowerCase() === word;

  function parseOr(): IncidentPredicate {
    let left = parseAnd();
    while (isKeyword("or")) {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (x) => l(x) || r(x);
    }
    return left;
  }

  function parseAnd(): IncidentPredicate {
    let left = parseUnary();
    while (isKeyword("and")) {
      pos++;
      const l = left;
      const r = parseUnary();
      left = (x) => l(x) && r(x);
    }
    return left;
  }

  function parseUnary(): IncidentPredicate {
    if (isKeyword("not")) {
      pos++;
      const inner = parseUnary();
      return (x) => !inner(x);
    }
    if (peek()?.kind === "lparen") {
      pos++;
      const inner = parseOr();
      if (peek()?.kind !== "rparen") throw new ODataFilterError("Missing ')' in $filter.");
      pos++;
      return inner;
    }
    return parseComparison();
  }

  function parseComparison(): IncidentPredicate {
    const field = tokens[pos++];
    const op = tokens[pos++];
    const value = tokens[pos++];
    if (!field || field.kind !== "word") throw new ODataFilterError("Expected a property name in $filter.");
    if (!TIME_FIELDS.has(field.value) && !STRING_FIELDS.has(field.value)) {
      throw new ODataFilterError(
        `Filtering on the property '${field.value}' is not supported. Supported properties: lastUpdateTime, createdTime, status, assignedTo.`,
      );
    }
    if (!op || op.kind !== "word" || !OPERATORS.has(op.value.toLowerCase()))
      throw new ODataFilterError(`Expected a comparison operator after '${field.value}'.`);
    if (!value || (value.kind !== "word" && value.kind !== "string")) throw new ODataFilterError(`Expected a value after '${field.value} ${op.value}'.`);
    const operator = op.value.toLowerCase();
    if (TIME_FIELDS.has(field.value)) return timeComparison(field.value as "lastUpdateTime" | "createdTime", operator, value.value);
    return stringComparison(field.value as "status" | "assignedTo", operator, value);
  }

  const predicate = parseOr();
  const rest = tokens[pos];
  if (rest) throw new ODataFilterError(`Unexpected '${rest.value}' in $filter.`);
  return predicate;
}

function timeComparison(field: "lastUpdateTime" | "createdTime", op: string, literal: string): IncidentPredicate {
  const bound = normalizeDefenderTime(literal);
  if (!bound) throw new ODataFilterError(`'${literal}' is not a valid DateTimeOffset for '${field}'.`);
  // Stored values share the normalised format, so string order is time order.
  const compare = (x: Incident) => (x[field] < bound ? -1 : x[field] > bound ? 1 : 0);
  switch (op) {
    case "eq":
      return (x) => compare(x) === 0;
    case "ne":
      return (x) => compare(x) !== 0;
    case "gt":
      return (x) => compare(x) > 0;
    case "ge":
      return (x) => compare(x) >= 0;
    case "lt":
      return (x) => compare(x) < 0;
    default:
      return (x) => compare(x) <= 0;
  }
}

function stringComparison(field: "status" | "assignedTo", op: string, value: Token): IncidentPredicate {
  if (op !== "eq" && op !== "ne") throw new ODataFilterError(`The operator '${op}' is not supported for '${field}'; use eq or ne.`);
  let expected: string | null;
  if (value.kind === "string") expected = value.value.toLowerCase();
  else if (value.value === "null") expected = null;
  else throw new ODataFilterError(`'${value.value}' must be a quoted string or null for '${field}'.`);
  const equals = (x: Incident) => (x[field] === null ? expected === null : expected !== null && x[field]!.toLowerCase() === expected);
  return op === "eq" ? equals : (x) => !equals(x);
}
