;; Not migratable: a mutable global that is not exported. Wasmtime can only read and write exported
;; globals, so its value could not be carried to the target.
(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "em_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "em_handle") (param i32 i32) (result i64)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i64.const 0)))
