;; Every function returns its positional argument array (the JSON the host passed) as a JSON string, so Dgraph
;; Lambda tests can see exactly which arguments each call received.
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $len (mut i32) (i32.const 0))
  ;; bump allocator that grows memory when needed
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
  ;; Writes bytes [ptr, ptr+len) as a JSON string into fresh memory; returns its pointer, sets $len.
  (func $quote (param $ptr i32) (param $n i32) (result i32)
    (local $dst i32) (local $out i32) (local $i i32) (local $c i32)
    (local.set $dst (call $alloc (i32.add (i32.mul (local.get $n) (i32.const 6)) (i32.const 2))))
    (local.set $out (local.get $dst))
    (i32.store8 (local.get $out) (i32.const 34))
    (local.set $out (i32.add (local.get $out) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (if (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92)))
        (then
          (i32.store8 (local.get $out) (i32.const 92))
          (i32.store8 (i32.add (local.get $out) (i32.const 1)) (local.get $c))
          (local.set $out (i32.add (local.get $out) (i32.const 2))))
        (else
          (if (i32.lt_u (local.get $c) (i32.const 32))
            (then
              (i32.store (local.get $out) (i32.const 0x3030755c)) ;; "\u00"
              (i32.store8 (i32.add (local.get $out) (i32.const 4))
                (i32.add (i32.const 48) (i32.shr_u (local.get $c) (i32.const 4))))
              (i32.store8 (i32.add (local.get $out) (i32.const 5))
                (i32.add (i32.and (local.get $c) (i32.const 15))
                  (select (i32.const 87) (i32.const 48) (i32.gt_u (i32.and (local.get $c) (i32.const 15)) (i32.const 9)))))
              (local.set $out (i32.add (local.get $out) (i32.const 6))))
            (else
              (i32.store8 (local.get $out) (local.get $c))
              (local.set $out (i32.add (local.get $out) (i32.const 1)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.store8 (local.get $out) (i32.const 34))
    (global.set $len (i32.sub (i32.add (local.get $out) (i32.const 1)) (local.get $dst)))
    (local.get $dst))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (local $out i32)
    (local.set $out (call $quote (local.get $ptr) (local.get $len)))
    (call $result (local.get $out) (global.get $len))
    (i32.const 0)))
