// The $filter subset Microsoft Graph documents for security incidents: lastUpdateDateTime and
// createdDateTime (eq ne gt ge lt le, ISO datetimes), status / severity / classification /
// determination (eq ne, enum members, case-insensitive, older determination names accepted) and
// assignedTo (eq ne, a quoted string or null), joined with `and` (parentheses allowed).
// `or` and `not` are refused: Microsoft does not document them for incidents, and a client that works
// against the emulator must also work against Microsoft.
import { normalizeDefenderTime } from "./defender-time";
import {
  GRAPH_CLASSIFICATIONS,
  GRAPH_DETERMINATION_ALIASES,
  GRAPH_DETERMINATIONS,
  GRAPH_INCIDENT_STATUSES,
  GRAPH_SEVERITIES,
  graphIncidentEnums,
  UNKNOWN_FUTURE_VALUE,
} from "./graph-shape";
import type { Incident } from "./model";
import { ODataFilterError, tokenize } from "./odata-filter";

export type IncidentPredicate = (incident: Incident) => boolean;

const TIME_FIELDS = { lastUpdateDateTime: "lastUpdateTime", createdDateTime: "createdTime" } as const;
const ENUM_FIELDS = {
  status: { type: "microsoft.graph.security.incidentStatus", members: GRAPH_INCIDENT_STATUSES as readonly string[] },
  severity: { type: "microsoft.graph.security.alertSeverity", members: GRAPH_SEVERITIES as readonly string[] },
  classification: { type: "microsoft.graph.security.alertClassification", members: GRAPH_CLASSIFICATIONS as readonly string[] },
  determination: {
    type: "microsoft.graph.security.alertDetermination",
    members: [...GRAPH_DETERMINATIONS, ...Object.keys(GRAPH_DETERMINATION_ALIASES)] as readonly string[],
  },
} as const;
const FILTERABLE = ["assignedTo", "classification", "createdDateTime", "determination", "lastUpdateDateTime", "severity", "status"];
const OPERATORS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

/** The canonical Graph member for an input value (case-insensitive; older names mapped), or null. */
export function canonicalMember(members: readonly string[], input: string): string | null {
  const found = members.find((m) => m.toLowerCase() === input.toLowerCase());
  if (!found) return null;
  return GRAPH_DETERMINATION_ALIASES[found] ?? found;
}

export function parseGraphIncidentFilter(input: string): IncidentPredicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKeyword = (word: string) => peek()?.kind === "word" && peek()!.value.toLowerCase() === word;

  function parseAnd(): IncidentPredicate {
    const parts = [parsePrimary()];
    while (isKeyword("and")) {
      pos++;
      parts.push(parsePrimary());
    }
    if (isKeyword("or")) throw new ODataFilterError("The 'or' operator is not supported in $filter for security incidents; send separate requests.");
    return (x) => parts.every((p) => p(x));
  }

  function parsePrimary(): IncidentPredicate {
    if (isKeyword("not")) throw new ODataFilterError("The 'not' operator is not supported in $filter for security incidents.");
    if (peek()?.kind === "lparen") {
      pos++;
      const inner = parseAnd();
      if (peek()?.kind !== "rparen") throw new ODataFilterError("Syntax error: missing ')' in $filter.");
      pos++;
      return inner;
    }
    return parseComparison();
  }

  function parseComparison(): IncidentPredicate {
    const field = tokens[pos++];
    const op = tokens[pos++];
    if (!field || field.kind !== "word") throw new ODataFilterError("Syntax error: expected a property name in $filter.");
    if (!FILTERABLE.includes(field.value)) {
      throw new ODataFilterError(`Invalid filter clause: the property '${field.value}' cannot be used in $filter. Supported: ${FILTERABLE.join(", ")}.`);
    }
    if (!op || op.kind !== "word" || !OPERATORS.has(op.value.toLowerCase()))
      throw new ODataFilterError(`Syntax error: expected a comparison operator after '${field.value}'.`);
    const operator = op.value.toLowerCase();
    let value = tokens[pos++];
    if (!value || (value.kind !== "word" && value.kind !== "string"))
      throw new ODataFilterError(`Syntax error: expected a value after '${field.value} ${op.value}'.`);
    // An enum literal may be written qualified: microsoft.graph.security.incidentStatus'active'.
    let qualifiedType: string | null = null;
    if (value.kind === "word" && /^microsoft\.graph\.security\.\w+$/i.test(value.value) && peek()?.kind === "string") {
      qualifiedType = value.value;
      value = tokens[pos++]!;
    }

    if (field.value in TIME_FIELDS) {
      const stored = TIME_FIELDS[field.value as keyof typeof TIME_FIELDS];
      const bound = normalizeDefenderTime(value.value);
      if (qualifiedType || !bound) throw new ODataFilterError(`The value '${value.value}' is not a valid DateTimeOffset for '${field.value}'.`);
      const compare = (x: Incident) => (x[stored] < bound ? -1 : x[stored] > bound ? 1 : 0);
      switch (operator) {
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

    if (operator !== "eq" && operator !== "ne") throw new ODataFilterError(`The operator '${operator}' is not supported for '${field.value}'; use eq or ne.`);
    if (field.value === "assignedTo") {
      let expected: string | null;
      if (value.kind === "string" && !qualifiedType) expected = value.value.toLowerCase();
      else if (value.kind === "word" && value.value === "null") expected = null;
      else throw new ODataFilterError(`'${value.value}' must be a quoted string or null for 'assignedTo'.`);
      const equals = (x: Incident) =>
        x.assignedTo === null || x.assignedTo === undefined ? expected === null : expected !== null && String(x.assignedTo).toLowerCase() === expected;
      return operator === "eq" ? equals : (x) => !equals(x);
    }

    const spec = ENUM_FIELDS[field.value as keyof typeof ENUM_FIELDS];
    if (value.kind !== "string") throw new ODataFilterError(`'${value.value}' must be a quoted enum member for '${field.value}'.`);
    if (qualifiedType && qualifiedType.toLowerCase() !== spec.type.toLowerCase())
      throw new ODataFilterError(`The type '${qualifiedType}' does not match '${field.value}' (${spec.type}).`);
    const member = value.value.toLowerCase() === UNKNOWN_FUTURE_VALUE.toLowerCase() ? UNKNOWN_FUTURE_VALUE : canonicalMember(spec.members, value.value);
    if (!member) throw new ODataFilterError(`The string '${value.value}' is not a valid enumeration type constant of ${spec.type}.`);
    const key = field.value as keyof typeof ENUM_FIELDS;
    const equals = (x: Incident) => graphIncidentEnums(x)[key] === member;
    return operator === "eq" ? equals : (x) => !equals(x);
  }

  if (tokens.length === 0) throw new ODataFilterError("The $filter expression is empty.");
  const predicate = parseAnd();
  const rest = tokens[pos];
  if (rest) throw new ODataFilterError(`Syntax error at '${rest.value}' in $filter.`);
  return predicate;
}
