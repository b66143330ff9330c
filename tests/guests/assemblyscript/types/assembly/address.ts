import { Box } from "@wafer/sdk";

/** A postal address (declared in another file than the functions using it). */
export class Address {
  street: string = "";
  city: string = "";
  /** Optional postal code. */
  zip: Box<u32> | null = null;
}

/** Declared here, offered by index.ts through a re-export. */
export function echoAddress(a: Address): Address {
  return a;
}

/** A subclass with a field the ABI cannot carry: allowed, as long as no function signature uses it. */
export class CachedAddress extends Address {
  lookups: Map<string, i32> = new Map();
}
