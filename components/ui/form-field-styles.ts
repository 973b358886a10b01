export const fieldClass = "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-800";
export const labelClass = "block text-sm font-medium";
export const hintClass = "mt-1 text-xs text-slate-500 dark:text-slate-400";
export const errorClass = "mt-1 text-xs text-red-700 dark:text-red-300";
