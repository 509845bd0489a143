/** Polar custom fields: the minimal `CustomField` rendering products embed (the custom-field routes replace this file). */
import type { PolarCustomFieldRec } from "./state";

/** A custom field as Polar's `CustomField*` response schemas require it. */
export function renderCustomField(rec: PolarCustomFieldRec): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = rec;
  return rest;
}
