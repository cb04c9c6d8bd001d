;; Not migratable: exports no request handler (em_handle) or buffer allocator (em_alloc), and no memory.
(module
  (memory 1)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
