;; Not migratable: the code writes its function table at run time (table.set), so the table's contents
;; are not determined by the module alone and cannot be rebuilt by instantiating it on the target.
(module
  (type $t (func (result i32)))
  (table $tab (export "table") 2 funcref)
  (memory (export "memory") 1)
  (func $one (result i32) (i32.const 1))
  (elem declare func $one)
  (func (export "em_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "em_handle") (param i32 i32) (result i64)
    (table.set $tab (i32.const 1) (ref.func $one))
    (i64.extend_i32_u (call_indirect (type $t) (i32.const 1)))))
