/**
 * A value type made nullable. AssemblyScript has no `i32 | null`; write `Box<i32> | null` instead and the
 * value travels as a plain JSON number or `null` (metadata type `i32?`).
 *
 * ```ts
 * export function maybeAge(known: bool): Box<i32> | null {
 *   return known ? Box.from(42) : null;
 * }
 * ```
 *
 * Box is meant for bool, integers and floats; strings, arrays and classes are nullable already.
 */
export class Box<T> {
  constructor(public value: T) {}

  /** Wraps a value. */
  static from<T>(value: T): Box<T> {
    return new Box<T>(value);
  }

  toString(): string {
    return this.value.toString();
  }

  /** Marks Box for the JSON layer: it is written as its value, not as an object. */
  __wafer_box(): void {}
}
