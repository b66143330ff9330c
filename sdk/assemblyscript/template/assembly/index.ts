// Every exported function is a function of the plugin: callable over HTTP and GraphQL once deployed.
// Parameters and results can be bool, integers (i8..u64), f32/f64, string, arrays, classes and
// `| null` versions of those (numbers: Box<i32> | null). See the @wafer/sdk README.
import { log } from "@wafer/sdk";

/** Says hello. */
export function greet(name: string): string {
  log.info("greeting " + name);
  return "Hello, " + name + "!";
}

/** A book in the catalogue. */
export class Book {
  title: string = "";
  author: string = "";
  year: i32 = 0;
  tags: string[] = [];
}

/** Finds books whose title contains the text. */
export function findBooks(text: string): Book[] {
  const all = [book("The Pragmatic Programmer", "Hunt & Thomas", 1999), book("Structure and Interpretation", "Abelson & Sussman", 1985)];
  const found = new Array<Book>();
  for (let i = 0; i < all.length; i++) {
    if (all[i].title.toLowerCase().includes(text.toLowerCase())) found.push(all[i]);
  }
  return found;
}

/** Describes a book sent by the caller. */
export function describeBook(book: Book): string {
  if (book.year < 0) throw new Error("year must not be negative"); // fails the call with this message
  return book.title + " by " + book.author + " (" + book.year.toString() + ")";
}

function book(title: string, author: string, year: i32): Book {
  const b = new Book();
  b.title = title;
  b.author = author;
  b.year = year;
  return b;
}
