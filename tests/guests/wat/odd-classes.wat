;; Classes the GraphQL schema must take without breaking other plugins: function 0 returns an instance of a class
;; with no fields ({}), 1 takes one and returns "ok", 2 takes a class that contains itself through a non-null field
;; (no finite value exists; GraphQL forbids such input types) and returns "never".
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "{}")
  (data (i32.const 32) "\"ok\"")
  (data (i32.const 48) "\"never\"")
  (global $heap (mut i32) (i32.const 4096))
  (func $alloc (export "wafer_alloc") (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap (i32.add (local.get $ptr) (local.get $size)))
    (local.get $ptr))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (if (i32.eq (local.get $fn) (i32.const 0))
      (then (call $result (i32.const 16) (i32.const 2)) (return (i32.const 0))))
    (if (i32.eq (local.get $fn) (i32.const 1))
      (then (call $result (i32.const 32) (i32.const 4)) (return (i32.const 0))))
    (call $result (i32.const 48) (i32.const 7))
    (i32.const 0)))
