import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { listStaffMemberSessions } from "@/server/auth/staff-sessions";
import { PageHeader } from "@/components/ui/page-header";
import { StaffSessionsTable } from "@/components/staff/staff-sessions-table";

export const metadata = { title: "Staff" };

export default async function StaffPage() {
  const staff = await requireStaff({ returnTo: "/staff" });
  const members = await listStaffMemberSessions();
  const disabledReason = refusalFor(staff.role, "staff.end_sessions");
  return (
    <>
      <PageHeader
        title="Staff"
        description="Staff members who have signed in, and their active sessions. A session ends 8 hours after sign-in, at sign-out, or when a Portal.Admin ends it."
      />
      {disabledReason ? (
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400" data-testid="staff-disabled-reason">
          {disabledReason}
        </p>
      ) : null}
      {/* The viewer has signed in, so the list is never empty. */}
      <StaffSessionsTable rows={members} currentOid={staff.oid} disabledReason={disabledReason} />
    </>
  );
}
