using System.Globalization;

namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

/// <summary>Deterministic traffic for the sample workloads.</summary>
internal static class Requests
{
    public static string Fusion(int i)
    {
        var vehicle = $"veh-{i % 5}";
        if (i % 7 == 6)
        {
            return "stats";
        }

        if (i % 5 == 4)
        {
            return $"get veh-{(i / 5) % 5}";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"obs {vehicle} {i * 0.8:F1} {(i * 41 % 97) + (i * 0.3):F2} {(i * 29 % 83) - (i * 0.7):F2}");
    }

    public static string Memhog(int i) => $"tick {i}";

    public static async Task<List<string>> SendAsync(WasmWorkload workload, Func<int, string> generator, int from, int count, CancellationToken cancellationToken)
    {
        var answers = new List<string>(count);
        for (var i = from; i < from + count; i++)
        {
            answers.Add(await workload.HandleTextAsync(generator(i), cancellationToken));
        }

        return answers;
    }
}
