// Checked flat-record codecs for thread hand-offs. Posting an array of objects costs the sender
// a structured clone that serializes every property name again for every object; the same values
// as one flat array of primitives clone several times faster. A codec is built from the record
// type's complete field list (the compiler rejects a list with a key missing or extra), so a field
// added to the type fails to compile until the hand-off carries it, on both sides at once.
//
// Encoding pushes the fields onto a caller-owned array; decoding reads them back at an index.
// Neither allocates beyond the decoded record itself.

/** Every key of T, once, in hand-off order (the values are ignored). */
export type FieldList<T> = Record<keyof T, 0>;

/** Keys of T whose value may be absent (`key?:`). */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

export interface FlatCodec<T> {
  /** Field names in encoding order. */
  readonly fields: readonly (keyof T & string)[];
  /** Slots one record takes. */
  readonly width: number;
  /** Appends `record`'s fields to `flat`. Absent optional fields travel as null. */
  write(flat: unknown[], record: T): void;
  /** The record whose fields start at `flat[at]` (absent optional fields stay absent). */
  read(flat: readonly unknown[], at: number): T;
}

/**
 * A codec for records of type T. `optional` names the keys that are left off the decoded record
 * when they travelled as null (they are `key?:` in T); the others are always set.
 */
export function flatCodec<T extends object>(
  all: FieldList<T>,
  optional: { [K in OptionalKeys<T>]: 0 } = {} as { [K in OptionalKeys<T>]: 0 },
): FlatCodec<T> {
  const fields = Object.keys(all) as (keyof T & string)[];
  const skipNull = fields.map((f) => f in optional);
  const width = fields.length;
  return {
    fields,
    width,
    write(flat, record) {
      const r = record as Record<string, unknown>;
      for (let k = 0; k < width; k++) {
        const v = r[fields[k]];
        flat.push(v === undefined && skipNull[k] ? null : v);
      }
    },
    read(flat, at) {
      const r: Record<string, unknown> = {};
      for (let k = 0; k < width; k++) {
        const v = flat[at + k];
        if (v !== null || !skipNull[k]) r[fields[k]] = v;
      }
      return r as T;
    },
  };
}
