using System.Text;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// Reads a WebAssembly binary (without running it) and decides whether it follows the workload contract
/// (docs/wasm-workloads.md). Wasmtime only exposes exported globals and tables, so the engine needs its
/// own view of the module: every mutable global, whether the code can change a table, shared memory,
/// the imports and the contract's exports with their signatures.
/// </summary>
public static class WasmModuleInspector
{
    private const uint Magic = 0x6D736100; // "\0asm"

    /// <summary>Inspects a module binary. Never throws for malformed input: that is reported as a problem.</summary>
    public static WasmModuleAnalysis Inspect(ReadOnlySpan<byte> module)
    {
        var state = new State();
        try
        {
            Parse(module.ToArray(), state);
        }
        catch (FormatException ex)
        {
            state.Problems.Add($"not a valid WebAssembly module: {ex.Message}");
        }

        return state.Finish();
    }

    private static void Parse(byte[] bytes, State s)
    {
        var r = new Reader(bytes, 0, bytes.Length);
        if (bytes.Length < 8 || r.U32Fixed() != Magic)
        {
            throw new FormatException("missing the \\0asm header");
        }

        var version = r.U32Fixed();
        if (version != 1)
        {
            throw new FormatException($"binary version {version} is not a core module (components are not supported)");
        }

        while (!r.AtEnd)
        {
            var id = r.Byte();
            var size = (int)r.U32();
            var section = r.Slice(size);
            switch (id)
            {
                case 1: ReadTypes(section, s); break;
                case 2: ReadImports(section, s); break;
                case 3: ReadFunctions(section, s); break;
                case 4: ReadTables(section, s); break;
                case 5: ReadMemories(section, s); break;
                case 6: ReadGlobals(section, s); break;
                case 7: ReadExports(section, s); break;
                case 8: s.Problems.Add("has a start function: code would run again when the module is instantiated on the target"); break;
                case 10: ScanCode(section, s); break;
                case 13: s.Problems.Add("uses exception-handling tags, which the engine cannot checkpoint"); break;
                default: break; // custom, element, data, data count: nothing that moves
            }
        }
    }

    private static void ReadTypes(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            var form = r.Byte();
            if (form != 0x60)
            {
                throw new FormatException($"type {i} is not a function type (0x{form:X2}); GC types are not supported");
            }

            var parameters = new byte[r.U32()];
            for (var p = 0; p < parameters.Length; p++) { parameters[p] = r.ValType(); }
            var results = new byte[r.U32()];
            for (var p = 0; p < results.Length; p++) { results[p] = r.ValType(); }
            s.Types.Add((parameters, results));
        }
    }

    private static void ReadImports(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            var module = r.Name();
            var name = r.Name();
            var kind = r.Byte();
            s.Imports.Add($"{module}.{name}");
            switch (kind)
            {
                case 0:
                    s.FunctionTypes.Add((int)r.U32());
                    if (module != WasmContract.WasiModule || !WasmContract.AllowedWasiFunctions.Contains(name))
                    {
                        s.Problems.Add($"imports function {module}.{name}, which is outside the allowed WASI set (its host state could not move)");
                    }
                    break;
                case 1:
                    r.Byte();
                    r.Limits(out _, out _);
                    s.TableCount++;
                    s.Problems.Add($"imports table {module}.{name}: tables must be defined by the module");
                    break;
                case 2:
                    r.Limits(out var shared, out _);
                    s.MemoryCount++;
                    s.Problems.Add(shared
                        ? $"imports shared memory {module}.{name} (threads): there is no single call boundary to checkpoint at"
                        : $"imports memory {module}.{name}: the memory must be defined and exported by the module");
                    break;
                case 3:
                    r.ValType();
                    var mutable = r.Byte() == 1;
                    s.GlobalCount++;
                    s.Problems.Add($"imports {(mutable ? "mutable " : "")}global {module}.{name}: globals must be defined by the module");
                    break;
                case 4:
                    r.Byte();
                    r.U32();
                    s.Problems.Add($"imports exception tag {module}.{name}");
                    break;
                default:
                    throw new FormatException($"import {module}.{name} has unknown kind {kind}");
            }
        }
    }

    private static void ReadFunctions(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++) { s.FunctionTypes.Add((int)r.U32()); }
    }

    private static void ReadTables(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            if (r.Peek() == 0x40)
            {
                throw new FormatException("table with an initialiser expression is not supported");
            }

            var refType = r.Byte();
            var min = r.Limits(out _, out _);
            if (refType != 0x70)
            {
                s.Problems.Add($"table {s.TableCount} holds 0x{refType:X2} references; only funcref tables can be rebuilt on the target");
            }

            s.DefinedTables.Add((s.TableCount, min));
            s.TableCount++;
        }
    }

    private static void ReadMemories(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            var flags = r.Peek();
            var min = r.Limits(out var shared, out _);
            if (shared)
            {
                s.Problems.Add("has shared memory (threads): another thread may be running at any time, so there is no call boundary to checkpoint at");
            }

            if ((flags & 0x04) != 0)
            {
                s.Problems.Add("uses 64-bit memory (memory64), which the engine does not support");
            }

            if (s.MemoryCount == 0)
            {
                s.InitialPages = min;
            }

            s.MemoryCount++;
        }
    }

    private static void ReadGlobals(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            var type = r.ValType();
            var mutable = r.Byte() == 1;
            SkipConstExpr(r);
            if (mutable)
            {
                s.MutableGlobals.Add((s.GlobalCount, (WasmValueType)type));
            }

            s.GlobalCount++;
        }
    }

    private static void ReadExports(Reader r, State s)
    {
        var count = r.U32();
        for (var i = 0; i < count; i++)
        {
            var name = r.Name();
            var kind = r.Byte();
            var index = (int)r.U32();
            s.Exports[name] = (kind, index);
            if (kind == 3)
            {
                s.GlobalExports.TryAdd(index, name);
            }
            else if (kind == 1)
            {
                s.TableExports.TryAdd(index, name);
            }
        }
    }

    private static void SkipConstExpr(Reader r)
    {
        while (true)
        {
            var op = r.Byte();
            switch (op)
            {
                case 0x0B: return;
                case 0x41: r.S64(); break;
                case 0x42: r.S64(); break;
                case 0x43: r.Skip(4); break;
                case 0x44: r.Skip(8); break;
                case 0x23: r.U32(); break; // global.get
                case 0xD0: r.S64(); break; // ref.null heaptype
                case 0xD2: r.U32(); break; // ref.func
                case 0x6A or 0x6B or 0x6C or 0x7C or 0x7D or 0x7E: break; // extended const
                default: throw new FormatException($"unsupported constant expression opcode 0x{op:X2}");
            }
        }
    }

    /// <summary>
    /// Decodes every instruction to find those that change a table (then the table is not determined by the
    /// module alone) or that need threads. Unknown opcodes make the module non-migratable rather than guessed.
    /// </summary>
    private static void ScanCode(Reader r, State s)
    {
        var count = r.U32();
        for (var f = 0; f < count; f++)
        {
            var size = (int)r.U32();
            var body = r.Slice(size);
            var groups = body.U32();
            for (var g = 0; g < groups; g++)
            {
                body.U32();
                body.ValType();
            }

            var problem = ScanInstructions(body);
            if (problem is not null)
            {
                s.CodeProblems.Add(problem);
            }
        }
    }

    private static string? ScanInstructions(Reader r)
    {
        while (!r.AtEnd)
        {
            var op = r.Byte();
            switch (op)
            {
                case <= 0x01 or 0x05 or 0x0B or 0x0F or 0x1A or 0x1B or 0xD1:
                case >= 0x45 and <= 0xC4:
                    break;
                case 0x02 or 0x03 or 0x04:
                    r.S64(); // block type
                    break;
                case 0x0C or 0x0D or 0x10 or 0x12 or 0x14 or 0x15 or 0xD2:
                case >= 0x20 and <= 0x25:
                    r.U32();
                    break;
                case 0x0E:
                    var targets = r.U32();
                    for (var i = 0; i <= targets; i++) { r.U32(); }
                    break;
                case 0x11 or 0x13:
                    r.U32();
                    r.U32();
                    break;
                case 0x1C:
                    var types = r.U32();
                    for (var i = 0; i < types; i++) { r.ValType(); }
                    break;
                case 0x26:
                    return "writes a table at run time (table.set): the table could not be rebuilt from the module on the target";
                case >= 0x28 and <= 0x3E:
                    r.MemArg();
                    break;
                case 0x3F or 0x40:
                    r.U32();
                    break;
                case 0x41 or 0x42:
                    r.S64();
                    break;
                case 0x43: r.Skip(4); break;
                case 0x44: r.Skip(8); break;
                case 0xD0: r.S64(); break;
                case 0xFC:
                    var sub = r.U32();
                    switch (sub)
                    {
                        case <= 7: break;
                        case 8 or 10 or 14: r.U32(); r.U32(); break; // memory.init, memory.copy, table.copy
                        case 9 or 11 or 13 or 16: r.U32(); break;   // data.drop, memory.fill, elem.drop, table.size
                        case 12:
                            return "initialises a table at run time (table.init): the table could not be rebuilt from the module on the target";
                        case 15:
                            return "grows a table at run time (table.grow): the table could not be rebuilt from the module on the target";
                        case 17:
                            return "fills a table at run time (table.fill): the table could not be rebuilt from the module on the target";
                        default:
                            return $"uses instruction 0xFC {sub}, which the engine does not know";
                    }

                    if (sub == 14)
                    {
                        return "copies table elements at run time (table.copy): the table could not be rebuilt from the module on the target";
                    }

                    break;
                case 0xFD:
                    SkipSimd(r);
                    break;
                case 0xFE:
                    return "uses atomic instructions (threads)";
                default:
                    return $"uses opcode 0x{op:X2}, which the engine does not know (e.g. exceptions or GC)";
            }
        }

        return null;
    }

    private static void SkipSimd(Reader r)
    {
        var sub = r.U32();
        switch (sub)
        {
            case <= 11 or 92 or 93: r.MemArg(); break;
            case 12 or 13: r.Skip(16); break;
            case >= 21 and <= 34: r.Skip(1); break;
            case >= 84 and <= 91: r.MemArg(); r.Skip(1); break;
            default: break;
        }
    }

    private sealed class State
    {
        public List<string> Problems { get; } = [];
        public List<string> CodeProblems { get; } = [];
        public List<string> Imports { get; } = [];
        public List<(byte[] Params, byte[] Results)> Types { get; } = [];
        public List<int> FunctionTypes { get; } = [];
        public List<(int Index, WasmValueType Type)> MutableGlobals { get; } = [];
        public List<(int Index, long Min)> DefinedTables { get; } = [];
        public Dictionary<string, (byte Kind, int Index)> Exports { get; } = new(StringComparer.Ordinal);
        public Dictionary<int, string> GlobalExports { get; } = [];
        public Dictionary<int, string> TableExports { get; } = [];
        public int GlobalCount { get; set; }
        public int TableCount { get; set; }
        public int MemoryCount { get; set; }
        public long InitialPages { get; set; }

        public WasmModuleAnalysis Finish()
        {
            var problems = new List<string>(Problems);
            if (MemoryCount > 1)
            {
                problems.Add($"has {MemoryCount} memories; the engine supports one");
            }

            if (!Exports.TryGetValue(WasmContract.MemoryExport, out var memory) || memory.Kind != 2)
            {
                problems.Add($"does not export its linear memory as \"{WasmContract.MemoryExport}\"");
            }

            CheckFunction(problems, WasmContract.AllocExport, [0x7F], [0x7F], required: true);
            CheckFunction(problems, WasmContract.HandleExport, [0x7F, 0x7F], [0x7E], required: true);
            CheckFunction(problems, WasmContract.InitExport, [0x7F, 0x7F], [0x7F], required: false);
            CheckFunction(problems, WasmContract.ReactorInitExport, [], [], required: false);
            if (Exports.ContainsKey(WasmContract.CommandStartExport) && !Exports.ContainsKey(WasmContract.ReactorInitExport))
            {
                problems.Add("is a WASI command (exports _start): build it as a reactor (-mexec-model=reactor)");
            }

            var globals = new List<WasmGlobalInfo>();
            foreach (var (index, type) in MutableGlobals)
            {
                GlobalExports.TryGetValue(index, out var name);
                globals.Add(new WasmGlobalInfo(index, name, type));
                if (name is null)
                {
                    problems.Add($"mutable global {index} ({type.ToString().ToLowerInvariant()}) is not exported, so its value cannot be saved (link with -Wl,--export=__stack_pointer, or --export-all)");
                }
                else if (type is not (WasmValueType.I32 or WasmValueType.I64 or WasmValueType.F32 or WasmValueType.F64))
                {
                    problems.Add($"mutable global \"{name}\" has type {type}; only i32, i64, f32 and f64 can be saved");
                }
            }

            var tables = new List<WasmTableInfo>();
            foreach (var (index, min) in DefinedTables)
            {
                TableExports.TryGetValue(index, out var name);
                tables.Add(new WasmTableInfo(index, name, min));
                if (name is null)
                {
                    problems.Add($"table {index} is not exported, so the engine cannot verify it on the target (link with -Wl,--export-table)");
                }
            }

            problems.AddRange(CodeProblems.Distinct(StringComparer.Ordinal));
            return new WasmModuleAnalysis
            {
                Problems = problems,
                MutableGlobals = globals,
                Tables = tables,
                Imports = Imports,
                InitialMemoryPages = InitialPages,
                HasReactorInitialize = Exports.TryGetValue(WasmContract.ReactorInitExport, out var ri) && ri.Kind == 0,
                HasInit = Exports.TryGetValue(WasmContract.InitExport, out var ei) && ei.Kind == 0,
            };
        }

        private void CheckFunction(List<string> problems, string name, byte[] parameters, byte[] results, bool required)
        {
            if (!Exports.TryGetValue(name, out var export) || export.Kind != 0)
            {
                if (required)
                {
                    problems.Add($"does not export the contract function {name}");
                }

                return;
            }

            if (export.Index >= FunctionTypes.Count || FunctionTypes[export.Index] >= Types.Count)
            {
                problems.Add($"export {name} refers to an unknown function");
                return;
            }

            var (p, r) = Types[FunctionTypes[export.Index]];
            if (!p.AsSpan().SequenceEqual(parameters) || !r.AsSpan().SequenceEqual(results))
            {
                problems.Add($"export {name} has signature {Signature(p, r)}, the contract needs {Signature(parameters, results)}");
            }
        }

        private static string Signature(byte[] parameters, byte[] results) =>
            $"({string.Join(", ", parameters.Select(TypeName))}) -> ({string.Join(", ", results.Select(TypeName))})";

        private static string TypeName(byte b) => b switch
        {
            0x7F => "i32",
            0x7E => "i64",
            0x7D => "f32",
            0x7C => "f64",
            0x7B => "v128",
            0x70 => "funcref",
            0x6F => "externref",
            _ => $"0x{b:X2}",
        };
    }

    private sealed class Reader(byte[] bytes, int start, int end)
    {
        private int _pos = start;

        public bool AtEnd => _pos >= end;

        public byte Peek() => _pos < end ? bytes[_pos] : throw new FormatException("unexpected end of section");

        public byte Byte() => _pos < end ? bytes[_pos++] : throw new FormatException("unexpected end of section");

        public void Skip(int n)
        {
            if (n < 0 || _pos + n > end)
            {
                throw new FormatException("unexpected end of section");
            }

            _pos += n;
        }

        public Reader Slice(int size)
        {
            var slice = new Reader(bytes, _pos, _pos + size);
            Skip(size);
            return slice;
        }

        public uint U32Fixed()
        {
            Skip(4);
            return (uint)(bytes[_pos - 4] | (bytes[_pos - 3] << 8) | (bytes[_pos - 2] << 16) | (bytes[_pos - 1] << 24));
        }

        public uint U32()
        {
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new FormatException("malformed LEB128 integer");
        }

        public long S64()
        {
            long result = 0;
            var shift = 0;
            byte b;
            do
            {
                if (shift >= 70)
                {
                    throw new FormatException("malformed LEB128 integer");
                }

                b = Byte();
                result |= (long)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);

            if (shift < 64 && (b & 0x40) != 0)
            {
                result |= -1L << shift;
            }

            return result;
        }

        public byte ValType()
        {
            var t = Byte();
            return t is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F
                ? t
                : throw new FormatException($"unsupported value type 0x{t:X2}");
        }

        public string Name()
        {
            var length = (int)U32();
            Skip(length);
            return Encoding.UTF8.GetString(bytes, _pos - length, length);
        }

        public long Limits(out bool shared, out long? max)
        {
            var flags = Byte();
            if (flags > 0x07)
            {
                throw new FormatException($"unknown limits flags 0x{flags:X2}");
            }

            shared = (flags & 0x02) != 0;
            long min = (flags & 0x04) != 0 ? S64() : U32();
            max = (flags & 0x01) != 0 ? ((flags & 0x04) != 0 ? S64() : U32()) : null;
            return min;
        }

        public void MemArg()
        {
            var align = U32();
            if ((align & 0x40) != 0)
            {
                U32(); // memory index (multi-memory)
            }

            U32(); // offset (memory64 offsets are u64, read the same way)
        }
    }
}
