;; A start function that logs, and an _initialize export that sets a global; the call answers whether
;; _initialize ran before it.
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (import "wafer" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (data (i32.const 16) "started")
  (data (i32.const 48) "true")
  (data (i32.const 56) "false")
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
  (func $start (call $log (i32.const 1) (i32.const 16) (i32.const 7)))
  (start $start)
  (func (export "_initialize") (global.set $ready (i32.const 7)))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (if (i32.eq (global.get $ready) (i32.const 7))
      (then (call $result (i32.const 48) (i32.const 4)))
      (else (call $result (i32.const 56) (i32.const 5))))
    (i32.const 0)))
