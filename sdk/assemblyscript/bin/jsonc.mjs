// Parses JSON with comments and trailing commas, as the runtime reads wafer.json
// (System.Text.Json with comments skipped and trailing commas allowed).

/** Calls `visit(i)` for each character index outside string literals; returns the indexes it marked. */
function scan(text, visit) {
  for (let i = 0; i < text.length; ) {
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; ) i += text[i] === "\\" ? 2 : 1;
      i++;
    } else {
      i = visit(i);
    }
  }
}

/** Blanks out `//` and `/* *\/` comments (keeping line breaks, so error positions stay right). */
function stripComments(text) {
  const chars = text.split(""); // UTF-16 units, like the indexes
  scan(text, (i) => {
    if (text[i] !== "/" || (text[i + 1] !== "/" && text[i + 1] !== "*")) return i + 1;
    let end = text[i + 1] === "/" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2);
    if (end < 0 && text[i + 1] === "*") throw new SyntaxError("unterminated /* comment");
    end = end < 0 ? text.length : text[i + 1] === "*" ? end + 2 : end;
    for (let j = i; j < end; j++) if (chars[j] !== "\n") chars[j] = " ";
    return end;
  });
  return chars.join("");
}

/** Blanks out a comma followed only by white space and then `}` or `]`. */
function stripTrailingCommas(text) {
  const chars = text.split(""); // UTF-16 units, like the indexes
  scan(text, (i) => {
    if (text[i] === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === "}" || text[j] === "]") chars[i] = " ";
    }
    return i + 1;
  });
  return chars.join("");
}

/** JSON.parse for JSON with comments and trailing commas. */
export function parseJsonc(text) {
  return JSON.parse(stripTrailingCommas(stripComments(text)));
}
