;; Passes a capability request straight to wafer.host_call (docs/abi.md §3.1), so tests can reach every
;; capability end to end without an SDK. call(op, request) returns the response JSON as a string on success,
;; or fails as a guest error whose message is the host's error text.
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (import "wafer" "host_call" (func $host_call (param i32 i32 i32 i32) (result i32)))
  (import "wafer" "host_response" (func $host_response (param i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $pos (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
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
  ;; value of one hex digit
  (func $hex (param $c i32) (result i32)
    (if (i32.le_u (local.get $c) (i32.const 57)) (then (return (i32.sub (local.get $c) (i32.const 48)))))
    (if (i32.ge_u (local.get $c) (i32.const 97)) (then (return (i32.sub (local.get $c) (i32.const 87)))))
    (i32.sub (local.get $c) (i32.const 55)))
  ;; Decodes the next JSON string at or after $pos into fresh memory; returns its pointer, sets $len.
  (func $string (result i32)
    (local $dst i32) (local $out i32) (local $c i32) (local $code i32)
    (block $found (loop $seek
      (br_if $found (i32.eq (i32.load8_u (global.get $pos)) (i32.const 34)))
      (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
      (br $seek)))
    (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
    (local.set $dst (call $alloc (i32.sub (global.get $end) (global.get $pos))))
    (local.set $out (local.get $dst))
    (block $done (loop $next
      (local.set $c (i32.load8_u (global.get $pos)))
      (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
      (br_if $done (i32.eq (local.get $c) (i32.const 34)))
      (if (i32.eq (local.get $c) (i32.const 92))
        (then
          (local.set $c (i32.load8_u (global.get $pos)))
          (global.set $pos (i32.add (global.get $pos) (i32.const 1)))
          (if (i32.eq (local.get $c) (i32.const 110)) (then (local.set $c (i32.const 10))))
          (if (i32.eq (local.get $c) (i32.const 116)) (then (local.set $c (i32.const 9))))
          (if (i32.eq (local.get $c) (i32.const 114)) (then (local.set $c (i32.const 13))))
          (if (i32.eq (local.get $c) (i32.const 98)) (then (local.set $c (i32.const 8))))
          (if (i32.eq (local.get $c) (i32.const 102)) (then (local.set $c (i32.const 12))))
          (if (i32.eq (local.get $c) (i32.const 117))
            (then
              (local.set $code (i32.or (i32.or
                (i32.shl (call $hex (i32.load8_u (global.get $pos))) (i32.const 12))
                (i32.shl (call $hex (i32.load8_u (i32.add (global.get $pos) (i32.const 1)))) (i32.const 8)))
                (i32.or
                  (i32.shl (call $hex (i32.load8_u (i32.add (global.get $pos) (i32.const 2)))) (i32.const 4))
                  (call $hex (i32.load8_u (i32.add (global.get $pos) (i32.const 3)))))))
              (global.set $pos (i32.add (global.get $pos) (i32.const 4)))
              (if (i32.lt_u (local.get $code) (i32.const 128))
                (then (local.set $c (local.get $code)))
                (else
                  (if (i32.lt_u (local.get $code) (i32.const 2048))
                    (then
                      (i32.store8 (local.get $out) (i32.or (i32.const 192) (i32.shr_u (local.get $code) (i32.const 6))))
                      (local.set $out (i32.add (local.get $out) (i32.const 1))))
                    (else
                      (i32.store8 (local.get $out) (i32.or (i32.const 224) (i32.shr_u (local.get $code) (i32.const 12))))
                      (i32.store8 (i32.add (local.get $out) (i32.const 1))
                        (i32.or (i32.const 128) (i32.and (i32.shr_u (local.get $code) (i32.const 6)) (i32.const 63))))
                      (local.set $out (i32.add (local.get $out) (i32.const 2)))))
                  (local.set $c (i32.or (i32.const 128) (i32.and (local.get $code) (i32.const 63))))))))))
      (i32.store8 (local.get $out) (local.get $c))
      (local.set $out (i32.add (local.get $out) (i32.const 1)))
      (br $next)))
    (global.set $len (i32.sub (local.get $out) (local.get $dst)))
    (local.get $dst))
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
    (local $op i32) (local $opLen i32) (local $req i32) (local $reqLen i32) (local $n i32) (local $buf i32) (local $out i32)
    (global.set $pos (local.get $ptr))
    (global.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $op (call $string))
    (local.set $opLen (global.get $len))
    (local.set $req (call $string))
    (local.set $reqLen (global.get $len))
    (local.set $n (call $host_call (local.get $op) (local.get $opLen) (local.get $req) (local.get $reqLen)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then
        (local.set $n (i32.sub (i32.const 0) (local.get $n)))
        (local.set $buf (call $alloc (local.get $n)))
        (call $host_response (local.get $buf))
        (call $result (local.get $buf) (local.get $n))
        (return (i32.const 1))))
    (local.set $buf (call $alloc (local.get $n)))
    (call $host_response (local.get $buf))
    (local.set $out (call $quote (local.get $buf) (local.get $n)))
    (call $result (local.get $out) (global.get $len))
    (i32.const 0)))
