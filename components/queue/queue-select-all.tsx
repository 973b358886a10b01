"use client";

/** Header checkbox: selects or clears every row checkbox that belongs to the bulk form. */
export function QueueSelectAll({ formId }: { formId: string }) {
  return (
    <input
      type="checkbox"
      aria-label="Select all incidents on this page"
      className="h-4 w-4 rounded border-slate-300 dark:border-slate-600"
      onChange={(event) => {
        const checked = event.currentTarget.checked;
        for (const box of document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name=incident][form="${formId}"]`)) {
          box.checked = checked;
          // Let listeners (the bulk bar's counter) see the change.
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }}
    />
  );
}
