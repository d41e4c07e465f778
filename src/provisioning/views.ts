/** What every telephony view carries besides its own fields. */
export const stamps = (row: { id: number; tenantId: number; createdAt: number; updatedAt: number }) => ({
  id: row.id,
  tenantId: row.tenantId,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});
