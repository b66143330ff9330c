;; Uses env.trace, env.seed and env["Date.now"]: answers true when the seed is non-zero and the clock is after 2020.
(module
  (import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))
  (import "env" "seed" (func $seed (result f64)))
  (import "env" "Date.now" (func $now (result f64)))
  (import "wafer" "result" (func $result (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\08\00\00\00\74\00\69\00\63\00\6b\00")
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
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (call $trace (i32.const 20) (i32.const 2) (f64.const 1.5) (f64.const 2.5) (f64.const 0) (f64.const 0) (f64.const 0))
    (if (i32.and (f64.ne (call $seed) (f64.const 0)) (f64.gt (call $now) (f64.const 1577836800000)))
      (then (call $result (i32.const 48) (i32.const 4)))
      (else (call $result (i32.const 56) (i32.const 5))))
    (i32.const 0)))
