import { TaggedError, tagGuard } from "../../lib/errors";

/** Another process took this tenant's lease (ours expired): this run must stop without writing. */
export class SyncLeaseLost extends TaggedError {
  readonly tag = "SyncLeaseLost";
  override readonly name = "SyncLeaseLost";
  constructor(readonly tenantId: string) {
    super(`The sync lease of tenant ${tenantId} is no longer held by this process`);
  }
}

export const isSyncLeaseLost = tagGuard<SyncLeaseLost>("SyncLeaseLost");
