/** Another process took this tenant's lease (ours expired): this run must stop without writing. */
export class SyncLeaseLost extends Error {
  constructor(readonly tenantId: string) {
    super(`The sync lease of tenant ${tenantId} is no longer held by this process`);
    this.name = "SyncLeaseLost";
  }
}
