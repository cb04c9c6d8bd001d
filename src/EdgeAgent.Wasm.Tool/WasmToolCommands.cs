using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeMigrate.EdgeAgent.Wasm.Tool;

/// <summary>
/// <c>edgemigrate-wasm run|resume|info</c>. Answers go to stdout one per line, in request order; lines
/// starting with "# " are facts about the run (architecture, module, snapshot sizes). Exit codes: 0 ok,
/// 1 failure, 2 refused (the reason is printed).
/// </summary>
internal static class WasmToolCommands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Runs EdgeMigrate WebAssembly workloads, checkpoints them and resumes them on any CPU architecture.");
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(ResumeCommand());
        root.Subcommands.Add(InfoCommand());
        return root;
    }

    private sealed record CommonOptions(
        Argument<FileInfo> Module,
        Option<int> Requests,
        Option<int> Skip,
        Option<FileInfo?> Input,
        Option<DirectoryInfo?> Data,
        Option<FileInfo?> Checkpoint);

    private static CommonOptions AddCommon(Command command)
    {
        var options = new CommonOptions(
            new Argument<FileInfo>("MODULE") { Description = "The workload (.wasm)" },
            new Option<int>("--requests") { Description = "How many requests to send", DefaultValueFactory = _ => 10 },
            new Option<int>("--skip") { Description = "Skip the first N requests of the input (or generator)", DefaultValueFactory = _ => 0 },
            new Option<FileInfo?>("--input") { Description = "Requests, one per line ('-' for stdin); default: generated sensor-fusion requests" },
            new Option<DirectoryInfo?>("--data") { Description = "Host directory the module sees as /data (its files move with the snapshot)" },
            new Option<FileInfo?>("--checkpoint") { Description = "After the requests, write a snapshot here" });
        command.Arguments.Add(options.Module);
        command.Options.Add(options.Requests);
        command.Options.Add(options.Skip);
        command.Options.Add(options.Input);
        command.Options.Add(options.Data);
        command.Options.Add(options.Checkpoint);
        return options;
    }

    private static Command RunCommand()
    {
        var command = new Command("run", "Start a workload fresh, send it requests, print the answers, optionally checkpoint it.");
        var common = AddCommon(command);
        var config = new Option<string>("--config") { Description = "Configuration passed to em_init, e.g. \"mib=16 dirty=32\"", DefaultValueFactory = _ => "" };
        command.Options.Add(config);
        command.SetAction((parse, cancellationToken) => Guard(async () =>
        {
            using var host = new WasmHost();
            using var image = host.LoadModuleFile(parse.GetValue(common.Module)!.FullName);
            var options = new WasmWorkloadOptions
            {
                DataDirectory = parse.GetValue(common.Data)?.FullName,
                Config = Encoding.UTF8.GetBytes(parse.GetValue(config) ?? ""),
            };
            PrintFacts(image, null);
            using var workload = await WasmWorkload.StartAsync(image, options, cancellationToken);
            return await ServeAndCheckpoint(workload, parse, common, cancellationToken);
        }));
        return command;
    }

    private static Command ResumeCommand()
    {
        var command = new Command("resume", "Restore a workload from a snapshot (taken on any architecture), send it requests, print the answers.");
        var common = AddCommon(command);
        var from = new Option<FileInfo>("--from") { Description = "Snapshot written by 'run --checkpoint' or the agent", Required = true };
        command.Options.Add(from);
        command.SetAction((parse, cancellationToken) => Guard(async () =>
        {
            using var host = new WasmHost();
            using var image = host.LoadModuleFile(parse.GetValue(common.Module)!.FullName);
            var options = new WasmWorkloadOptions { DataDirectory = parse.GetValue(common.Data)?.FullName };
            var started = TimeProvider.System.GetTimestamp();
            await using var snapshot = File.OpenRead(parse.GetValue(from)!.FullName);
            using var target = WasmMigrationTarget.Create(image, options);
            await target.ApplyAllAsync(snapshot, cancellationToken);
            using var workload = target.Activate();
            PrintFacts(image, target.SourceArchitecture);
            Console.WriteLine(FormattableString.Invariant(
                $"# restored {workload.MemoryBytes / 65536} pages in {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:F1} ms"));
            return await ServeAndCheckpoint(workload, parse, common, cancellationToken);
        }));
        return command;
    }

    private static Command InfoCommand()
    {
        var command = new Command("info", "Tell whether a module follows the workload contract, and why not.");
        var module = new Argument<FileInfo>("MODULE") { Description = "The workload (.wasm)" };
        command.Arguments.Add(module);
        command.SetAction((parse, cancellationToken) => Guard(() =>
        {
            using var host = new WasmHost();
            using var image = host.LoadModuleFile(parse.GetValue(module)!.FullName);
            PrintFacts(image, null);
            var analysis = image.Analysis;
            Console.WriteLine($"# imports: {string.Join(", ", analysis.Imports)}");
            Console.WriteLine($"# mutable globals: {string.Join(", ", analysis.MutableGlobals.Select(g => $"{g.ExportName ?? $"#{g.Index} (not exported)"}:{g.Type}"))}");
            Console.WriteLine($"# tables: {string.Join(", ", analysis.Tables.Select(t => $"{t.ExportName ?? $"#{t.Index} (not exported)"}[{t.InitialSize}]"))}");
            foreach (var problem in analysis.Problems)
            {
                Console.WriteLine($"refused: {problem}");
            }

            Console.WriteLine(analysis.IsMigratable ? "migratable" : "not migratable");
            return Task.FromResult(analysis.IsMigratable ? 0 : 2);
        }));
        return command;
    }

    private static async Task<int> ServeAndCheckpoint(WasmWorkload workload, ParseResult parse, CommonOptions common, CancellationToken cancellationToken)
    {
        var requests = ReadRequests(parse.GetValue(common.Input), parse.GetValue(common.Skip), parse.GetValue(common.Requests));
        foreach (var request in requests)
        {
            Console.WriteLine(await workload.HandleTextAsync(request, cancellationToken));
        }

        if (parse.GetValue(common.Checkpoint) is { } checkpoint)
        {
            var temporary = checkpoint.FullName + ".tmp";
            WasmStateChunk final;
            await using (var output = File.Create(temporary))
            {
                final = await workload.CheckpointAsync(output, cancellationToken);
            }

            File.Move(temporary, checkpoint.FullName, overwrite: true);
            Console.WriteLine(FormattableString.Invariant(
                $"# checkpoint {checkpoint.Name}: {final.MemoryPages} pages, {final.Pages.Count} carried, {final.Globals.Count} globals, {final.Files.Count} files, {new FileInfo(checkpoint.FullName).Length} bytes"));
        }

        return 0;
    }

    private static void PrintFacts(WasmModuleImage image, string? restoredFrom)
    {
        Console.WriteLine($"# arch={RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} os={RuntimeInformation.OSDescription} runtime={RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"# module={image.Name} sha256={image.HashHex} migratable={(image.Analysis.IsMigratable ? "yes" : "no")}");
        if (restoredFrom is not null)
        {
            Console.WriteLine($"# restored from arch={restoredFrom}");
        }
    }

    private static List<string> ReadRequests(FileInfo? input, int skip, int count)
    {
        if (input is null)
        {
            return [.. Enumerable.Range(skip, count).Select(SampleRequest)];
        }

        var lines = input.Name == "-" ? ReadAll(Console.In) : File.ReadAllLines(input.FullName);
        return [.. lines.Skip(skip).Take(count)];
    }

    private static string[] ReadAll(TextReader reader) =>
        reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Deterministic sensor-fusion traffic: four buses reporting fixes, with a query now and then.</summary>
    internal static string SampleRequest(int i)
    {
        var vehicle = $"bus-{i % 4}";
        if (i % 7 == 6)
        {
            return "stats";
        }

        if (i % 5 == 4)
        {
            return $"get {vehicle}";
        }

        var t = i * 1.5;
        var x = (i * 37 % 101) + (i * 0.25);
        var y = (i * 53 % 89) - (i * 0.5);
        return string.Create(CultureInfo.InvariantCulture, $"obs {vehicle} {t:F1} {x:F2} {y:F2}");
    }

    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (WasmMigrationRefusedException ex)
        {
            await Console.Error.WriteLineAsync($"edgemigrate-wasm: refused: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is WasmWorkloadFaultedException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"edgemigrate-wasm: {ex.Message}");
            return 1;
        }
    }
}
