;; A global counter incremented by every call. The argument buffer is reused, so the module is safe for
;; instance reuse: fresh instances always answer 1, a reused one 1, 2, 3...
;; Function 0 returns the count as a JSON number; 1 counts, then traps; 2 counts, then reports a guest error.
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "wafer_alloc") (param $size i32) (result i32)
    (local $need i32)
    (local.set $need (i32.add (i32.const 1024) (local.get $size)))
    (if (i32.gt_u (local.get $need) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.shr_u (i32.add (local.get $need) (i32.const 65535)) (i32.const 16))))))
    (i32.const 1024))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (local $n i32) (local $p i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (if (i32.eq (local.get $fn) (i32.const 1)) (then unreachable))
    ;; write the decimal digits backwards, ending at offset 32
    (local.set $n (global.get $count))
    (local.set $p (i32.const 32))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (i32.ne (local.get $n) (i32.const 0))))
    (call $result (local.get $p) (i32.sub (i32.const 32) (local.get $p)))
    (i32.eq (local.get $fn) (i32.const 2))))
