;; A guest that tries to flood its call's log and its caller:
;;   0 flood       logs 200000 lines of 32 bytes
;;   1 hugeLine    logs one 5 MiB line, then "after the huge line"
;;   2 hugeError   fails with a 30 MiB guest error message (wafer.result, returns 1)
;;   3 hugeAbort   aborts with a 1 MiB message (wafer.abort)
;;   4 traceFlood  calls env.trace 238000 times
;;   5 quiet       logs one line
(module
  (import "wafer" "log" (func $log (param i32 i32 i32)))
  (import "wafer" "result" (func $result (param i32 i32)))
  (import "wafer" "abort" (func $abort (param i32 i32)))
  (import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "flood line ..... 32 bytes long!!")
  (data (i32.const 48) "after the huge line")
  ;; an AssemblyScript string "trace": its byte length (10) at ptr - 4, then UTF-16LE
  (data (i32.const 92) "\0a\00\00\00t\00r\00a\00c\00e\00")
  (data (i32.const 112) "one quiet line")
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
  ;; `size` bytes of `byte` in fresh memory; returns where they start
  (func $filled (param $size i32) (param $byte i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (call $alloc (local.get $size)))
    (memory.fill (local.get $ptr) (local.get $byte) (local.get $size))
    (local.get $ptr))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $text i32)
    (if (i32.eq (local.get $fn) (i32.const 0))
      (then
        (loop $more
          (call $log (i32.const 1) (i32.const 16) (i32.const 32))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 200000))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $fn) (i32.const 1))
      (then
        (local.set $text (call $filled (i32.const 5242880) (i32.const 121)))
        (call $log (i32.const 1) (local.get $text) (i32.const 5242880))
        (call $log (i32.const 1) (i32.const 48) (i32.const 19))
        (return (i32.const 0))))
    (if (i32.eq (local.get $fn) (i32.const 2))
      (then
        (local.set $text (call $filled (i32.const 31457280) (i32.const 101)))
        (call $result (local.get $text) (i32.const 31457280))
        (return (i32.const 1))))
    (if (i32.eq (local.get $fn) (i32.const 3))
      (then
        (local.set $text (call $filled (i32.const 1048576) (i32.const 122)))
        (call $abort (local.get $text) (i32.const 1048576))
        (return (i32.const 0))))
    (if (i32.eq (local.get $fn) (i32.const 4))
      (then
        (loop $more
          (call $trace (i32.const 96) (i32.const 1) (f64.convert_i32_u (local.get $i)) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 238000))))
        (return (i32.const 0))))
    (call $log (i32.const 1) (i32.const 112) (i32.const 14))
    (i32.const 0)))
