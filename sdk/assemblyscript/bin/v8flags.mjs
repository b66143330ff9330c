// Imported before the compiler loads. Binaryen is a large WebAssembly module whose optimizing tier-up
// keeps both cores busy while a build runs; its baseline code (Liftoff) is fast enough for compiling
// plugins and halves build times here.
import v8 from "node:v8";

v8.setFlagsFromString("--liftoff-only");
