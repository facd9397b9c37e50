/** Entra object ids and app ids are GUIDs; anything else in an id field is not trusted as one. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeGuid(value: string): boolean {
  return GUID.test(value);
}
