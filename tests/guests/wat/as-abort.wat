;; AssemblyScript-style env.abort. Function 0: message "boom", file "assembly/index.ts", line 3, column 5.
;; Function 1: no message and no file. Function 2: a message pointer outside memory.
(module
  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  ;; AssemblyScript strings: u32 byte length at ptr - 4, then UTF-16LE
  (data (i32.const 16) "\08\00\00\00\62\00\6f\00\6f\00\6d\00")
  (data (i32.const 64) "\22\00\00\00\61\00\73\00\73\00\65\00\6d\00\62\00\6c\00\79\00\2f\00\69\00\6e\00\64\00\65\00\78\00\2e\00\74\00\73\00")
  ;; bump allocator that grows memory when needed
  (global $heap (mut i32) (i32.const 4096))
  (func $alloc (export "wafer_alloc") (param $size i32) (result i32)
    (local $ptr i32) (local $end i32)
    (local.set $ptr (global.get $heap))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.lt_s
              (memory.grow (i32.shr_u
                (i32.add (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65535))
                (i32.const 16)))
              (i32.const 0))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $ptr))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (if (i32.eq (local.get $fn) (i32.const 0))
      (then (call $abort (i32.const 20) (i32.const 68) (i32.const 3) (i32.const 5))))
    (if (i32.eq (local.get $fn) (i32.const 1))
      (then (call $abort (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (call $abort (i32.const 0x7fff0000) (i32.const 0) (i32.const 1) (i32.const 1))
    unreachable))
