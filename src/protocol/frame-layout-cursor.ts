// The field list of frame-layout.ts and the cursor that appends to it. The cursor is what keeps
// the layout honest: fields are appended in order from the current offset, a field longer than
// what is left is clamped and marked truncated, and zero-length fields are not emitted.

/** ok; truncated (the frame ends inside it); malformed (breaks a rule); extra (bytes the decoder ignores); invalid (a failed check, e.g. a bad signature). */
export type LayoutStatus = 'ok' | 'truncated' | 'malformed' | 'extra' | 'invalid';

/** What a field is, for colouring and the legend. */
export type LayoutKind =
  | 'header'
  | 'transport'
  | 'path_length'
  | 'path'
  | 'hash'
  | 'pubkey'
  | 'timestamp'
  | 'signature'
  | 'flags'
  | 'location'
  | 'name'
  | 'data'
  | 'mac'
  | 'ciphertext'
  | 'malformed';

/** A bit field inside a one-byte field (header byte, path length byte). */
export interface LayoutBits {
  name: string;
  mask: number;
  value: number;
  label: string;
}

export interface LayoutField {
  /** Byte offset in the frame. */
  offset: number;
  length: number;
  /** Stable id, e.g. `header`, `path_0`, `pubkey`, `ciphertext`. */
  key: string;
  name: string;
  kind: LayoutKind;
  /** The decoded value as text (hex for opaque bytes). */
  value: string;
  description: string;
  status: LayoutStatus;
  bits?: LayoutBits[];
}

export interface FieldInit {
  value?: string;
  description: string;
  status?: LayoutStatus;
  bits?: LayoutBits[];
}

export class FieldCursor {
  readonly buf: Buffer;
  readonly fields: LayoutField[] = [];
  offset = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  /** Lowercase hex of `length` bytes from the current offset (clamped to the frame). */
  hex(length: number, from = this.offset): string {
    return this.buf.toString('hex', from, Math.min(this.buf.length, from + length));
  }

  /** Appends a field of `length` bytes; clamped (and marked truncated) at the frame's end. */
  field(key: string, name: string, kind: LayoutKind, length: number, init: FieldInit): void {
    const n = Math.max(0, Math.min(length, this.remaining));
    if (n === 0) return;
    const truncated = n < length;
    const f: LayoutField = {
      offset: this.offset,
      length: n,
      key,
      name,
      kind,
      value: truncated || init.value === undefined ? this.hex(n) : init.value,
      description: truncated ? `${init.description} (truncated: ${n} of ${length} bytes)` : init.description,
      status: truncated ? 'truncated' : (init.status ?? 'ok'),
    };
    if (init.bits && !truncated) f.bits = init.bits;
    this.fields.push(f);
    this.offset += n;
  }

  /** Appends every byte left as one field (nothing when none are left). */
  rest(key: string, name: string, kind: LayoutKind, description: string, status: LayoutStatus = 'ok'): void {
    this.field(key, name, kind, this.remaining, { description, status });
  }
}
