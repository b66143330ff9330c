// Function names that map to GraphQL queries and mutations: get/list prefixes become queries, others
// (add, update, delete...) mutations; `_`-prefixed names are hidden by the host; `__` names are not
// exported to the host at all.

/** Somebody. */
export class Person {
  id: i32 = 0;
  name: string = "";
}

function person(id: i32, name: string): Person {
  const p = new Person();
  p.id = id;
  p.name = name;
  return p;
}

/** Finds a person by id. */
export function getPerson(id: i32): Person | null {
  return id == 1 ? person(1, "Ada") : null;
}

/** Lists everybody. */
export function listPeople(): Person[] {
  return [person(1, "Ada"), person(2, "Grace")];
}

/**
 * Adds a person.
 * @param name the person's name
 */
export function addPerson(name: string): Person {
  return person(3, name);
}

export function updatePerson(id: i32, name: string): Person {
  return person(id, name);
}

export function deletePerson(id: i32): bool {
  return id > 0;
}

export function _hidden(): string {
  return "hidden";
}

export function __internal(): string {
  return "not a plugin function";
}
