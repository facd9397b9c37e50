/**
 * Sets a field only when there is a value, so parsed records carry no `key: undefined` noise into
 * the store, snapshots or equality checks. Used only on records the parser itself is building.
 */
export function putDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
