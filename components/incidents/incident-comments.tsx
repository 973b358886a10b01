import { IncidentTime } from "./incident-time";
import type { CommentItem } from "@/server/incidents/incident-detail-evidence";

export function IncidentComments({ comments }: { comments: CommentItem[] }) {
  if (comments.length === 0) return <p className="text-sm text-slate-500">No comments yet.</p>;
  return (
    <ol className="space-y-2" data-testid="incident-comments">
      {comments.map((c, index) => (
        <li key={index} className="rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
          <p className="whitespace-pre-wrap break-words text-sm">{c.comment}</p>
          <p className="mt-1 text-xs text-slate-500">
            {c.createdBy ?? "Unknown"} · <IncidentTime value={c.createdTime} />
          </p>
        </li>
      ))}
    </ol>
  );
}
