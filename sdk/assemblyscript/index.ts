// Package entry for `import ... from "@wafer/sdk"`: AssemblyScript resolves a bare package import to
// `<package>/index.ts`, so this file forwards to the library in `assembly/`.
export * from "./assembly/index";
