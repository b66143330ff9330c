// People: sql.execute and sql.query on a PostgreSQL connection, parameters only ($1, $2...), rows read
// by column name (Row) or mapped straight into a class (sql.query<T>).
import { sql, Params, log } from "@wafer/sdk";

const DB = "people-db";

/** A person in the table. */
export class Person {
  id: i64 = 0;
  name: string = "";
  email: string = "";
  age: i32 = 0;
}

/** Creates the people table if it does not exist. Returns true. */
export function setup(): bool {
  sql.execute(DB, "create table if not exists people (id bigserial primary key, name text not null, email text not null unique, age int not null default 0, created timestamptz not null default now())");
  return true;
}

/** Adds a person and returns it with its new id. */
export function addPerson(name: string, email: string, age: i32): Person {
  setup();
  let rows = sql.query<Person>(DB, "insert into people (name, email, age) values ($1, $2, $3) returning id, name, email, age",
    new Params().string(name).string(email).i32(age));
  log.info("added person " + rows[0].id.toString());
  return rows[0];
}

/** Everyone, oldest first. */
export function people(): Person[] {
  setup();
  return sql.query<Person>(DB, "select id, name, email, age from people order by age desc, id");
}

/** A person by id, or null. */
export function person(id: i64): Person | null {
  setup();
  let row = sql.queryOne(DB, "select id, name, email, age, created from people where id = $1", new Params().i64(id));
  if (!row) return null;
  let p = new Person();
  p.id = row.getI64("id");
  p.name = row.getString("name");
  p.email = row.getString("email");
  p.age = row.getI32("age");
  log.debug("created " + row.getString("created"));
  return p;
}

/** People whose name contains the text (case-insensitive). The text is a parameter: quotes are harmless. */
export function search(text: string): Person[] {
  setup();
  return sql.query<Person>(DB, "select id, name, email, age from people where name ilike '%' || $1 || '%' order by name", new Params().string(text));
}

/** Sets a person's age; returns whether the person exists. */
export function setAge(id: i64, age: i32): bool {
  return sql.execute(DB, "update people set age = $2 where id = $1", new Params().i64(id).i32(age)) > 0;
}

/** Deletes a person; returns whether it existed. */
export function deletePerson(id: i64): bool {
  return sql.execute(DB, "delete from people where id = $1", new Params().i64(id)) > 0;
}
