using System.Globalization;
using System.Text.Json;

namespace EdgeMigrate.Bench.Migration;

/// <summary>Two namespaces joined by a tbf-shaped veth plus unshaped host legs, made by scripts/netns-link.sh; removed on dispose.</summary>
public sealed class NetnsLink : IAsyncDisposable
{
    private readonly string _script;

    private NetnsLink(string script, string name, IReadOnlyDictionary<string, string> vars)
    {
        _script = script;
        Name = name;
        NamespaceA = vars["NS_A"];
        NamespaceB = vars["NS_B"];
        LinkA = vars["LINK_A"];
        LinkB = vars["LINK_B"];
        HostA = vars["HOST_A"];
        HostB = vars["HOST_B"];
    }

    public string Name { get; }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    public string LinkA { get; }

    public string LinkB { get; }

    public string HostA { get; }

    public string HostB { get; }

    public static async Task<NetnsLink> CreateAsync(string rate, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Shell.RepositoryRoot(), "scripts", "netns-link.sh");
        var name = string.Create(CultureInfo.InvariantCulture, $"b{Environment.ProcessId % 1000000}");
        var up = await Shell.RunAsync("bash", [script, "up", name, rate], cancellationToken);
        if (!up.Succeeded)
        {
            await Shell.RunAsync("bash", [script, "down", name], CancellationToken.None);
            throw new InvalidOperationException($"scripts/netns-link.sh up {name} failed: {up.StdErr.Trim()}");
        }

        var vars = up.StdOut.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new NetnsLink(script, name, vars);
    }

    /// <summary>Bytes sent so far by one side's shaped veth (side 'a' or 'b').</summary>
    public async Task<long> TxBytesAsync(char side, CancellationToken cancellationToken)
    {
        var output = await Shell.CheckedAsync("ip", ["-n", side == 'a' ? NamespaceA : NamespaceB, "-s", "-j", "link", "show", $"em{Name}{side}"], cancellationToken);
        using var json = JsonDocument.Parse(output);
        return json.RootElement[0].GetProperty("stats64").GetProperty("tx").GetProperty("bytes").GetInt64();
    }

    public async ValueTask DisposeAsync() => await Shell.RunAsync("bash", [_script, "down", Name], CancellationToken.None);
}
