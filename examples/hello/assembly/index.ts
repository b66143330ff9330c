// The hello plugin: every exported function is served over REST (POST /functions/NAME) and GraphQL.
import { log } from "@wafer/sdk";

/** Says hello to someone. */
export function greet(name: string): string {
  return "Hello, " + name + "!";
}

/** A person, as GraphQL type `Person` (and `PersonInput` when sent as an argument). */
export class Person {
  firstName: string = "";
  lastName: string = "";
  age: i32 = 0;
  nicknames: string[] = [];
}

/** Introduces a person: a class in, a string out. */
export function introduce(person: Person): string {
  log.info("introducing " + person.firstName);
  let text = person.firstName + " " + person.lastName + " is " + person.age.toString();
  if (person.nicknames.length > 0) text += ", also known as " + person.nicknames.join(" or ");
  return text;
}

/** Looks a person up; a GraphQL query named `person` (the `get` prefix is dropped). */
export function getPerson(firstName: string): Person | null {
  if (firstName != "Ada") return null;
  const ada = new Person();
  ada.firstName = "Ada";
  ada.lastName = "Lovelace";
  ada.age = 36;
  ada.nicknames = ["Enchantress of Numbers"];
  return ada;
}

/** Adds two 64-bit integers; i64 travels at full precision (GraphQL scalar Int64). */
export function add(a: i64, b: i64): i64 {
  return a + b;
}

/** A GraphQL mutation (the `create` prefix makes it one). Throwing fails just this call with the message. */
export function createGreeting(name: string, times: i32): string[] {
  if (times < 0 || times > 100) throw new Error("times must be between 0 and 100");
  const out = new Array<string>();
  for (let i = 0; i < times; i++) out.push(greet(name));
  return out;
}
