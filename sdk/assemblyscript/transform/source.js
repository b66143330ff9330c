// Helpers over the AssemblyScript AST: which sources are the user's, positions, doc comments.

import { SourceKind } from "assemblyscript";

export const LIBRARY_PREFIX = "~lib/";

/** Whether a parsed source is the user's (not the standard library, not a package). */
export function isUserSource(source) {
  return (source.sourceKind === SourceKind.User || source.sourceKind === SourceKind.UserEntry) &&
    !source.normalizedPath.startsWith(LIBRARY_PREFIX);
}

/** Whether a parsed source is a user entry file (its exports become the module's exports). */
export function isUserEntry(source) {
  return source.sourceKind === SourceKind.UserEntry && !source.normalizedPath.startsWith(LIBRARY_PREFIX);
}

/** Finds a parsed source by the internal path an import or export statement resolved to. */
export function findSource(parser, internalPath) {
  for (const source of parser.sources) {
    if (source.internalPath === internalPath || source.internalPath === internalPath + "/index") return source;
  }
  return null;
}

/** "file.ts(line,column)" for a node, for error messages. */
export function where(node) {
  const range = node.range;
  const source = range.source;
  const text = source.text;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < range.start && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return `${source.normalizedPath}(${line},${range.start - lineStart + 1})`;
}

/**
 * The JSDoc comment (`/** ... *\/`) directly before a declaration, parsed into a description and
 * `@param` texts; null if there is none.
 */
export function docComment(node) {
  const text = node.range.source.text;
  let i = node.range.start - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (i < 1 || text[i] !== "/" || text[i - 1] !== "*") return null;
  const end = i - 1;
  const start = text.lastIndexOf("/**", end);
  if (start < 0 || text.lastIndexOf("*/", end - 1) > start) return null;
  const lines = text.substring(start + 3, end).split(/\r?\n/).map(l => l.replace(/^\s*\*?\s?/, "").trimEnd());
  const description = [];
  const params = new Map();
  let current = null; // the @param being continued, or null for the description
  let inTag = false;
  for (const line of lines) {
    const tag = /^@(\w+)\s*(.*)$/.exec(line.trim());
    if (tag) {
      inTag = true;
      current = null;
      if (tag[1] === "param") {
        const m = /^(?:\{[^}]*\}\s*)?\[?([A-Za-z_$][\w$]*)[^\s]*\s*(?:-\s*)?(.*)$/.exec(tag[2]);
        if (m) { current = [m[2]]; params.set(m[1], current); }
      }
      continue;
    }
    if (current) current.push(line);
    else if (!inTag) description.push(line);
  }
  const clean = parts => parts.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  const result = { description: clean(description), params: new Map() };
  for (const [name, parts] of params) {
    const value = clean(parts);
    if (value) result.params.set(name, value);
  }
  return result;
}

/** Replaces a parsed source with a new text, keeping its place in the parser's list. */
export function reparse(parser, source, text) {
  const sources = parser.sources;
  const index = sources.indexOf(source);
  sources.splice(index, 1);
  parser.donelog.delete(source.internalPath);
  parser.parseFile(text, source.normalizedPath, source.sourceKind === SourceKind.UserEntry);
  const fresh = sources.pop();
  sources.splice(index, 0, fresh);
  return fresh;
}
