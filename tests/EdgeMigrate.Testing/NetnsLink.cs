using System.Globalization;
using System.Text.Json;

namespace EdgeMigrate.Testing;

/// <summary>
/// Two network namespaces joined by a tbf-shaped veth, plus an unshaped host leg into each, made by
/// scripts/netns-link.sh (the one source of truth for the topology). Removed again on dispose.
/// </summary>
public sealed class NetnsLink : IAsyncDisposable
{
    private static int _sequence;
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
        Rate = vars["RATE"];
    }

    public string Name { get; }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    /// <summary>Address of side a on the shaped link (agents listen here for transfers).</summary>
    public string LinkA { get; }

    public string LinkB { get; }

    /// <summary>The host's address on the unshaped leg into side a (the broker, as seen from a).</summary>
    public string HostA { get; }

    public string HostB { get; }

    public string Rate { get; }

    /// <summary>The shaped veth's name inside namespace a or b.</summary>
    public string DeviceOf(char side) => $"em{Name}{side}";

    public string NamespaceOf(char side) => side == 'a' ? NamespaceA : NamespaceB;

    /// <summary>The namespace's own address on its host leg (the script gives the host .1 and the namespace .2): how the host reaches a service inside.</summary>
    public string HostLegAddressOf(char side)
    {
        var host = side == 'a' ? HostA : HostB;
        return string.Concat(host.AsSpan(0, host.LastIndexOf('.') + 1), "2");
    }

    /// <summary>Creates a link whose name is unique to this process (the script hashes it into its subnets).</summary>
    public static async Task<NetnsLink> CreateAsync(string rate = "100mbit", CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(RepositoryLayout.Root, "scripts", "netns-link.sh");
        var name = string.Create(CultureInfo.InvariantCulture, $"t{Environment.ProcessId % 100000}{Interlocked.Increment(ref _sequence) % 100}");
        var up = await HostCommand.RunAsync("bash", [script, "up", name, rate], cancellationToken);
        if (!up.Succeeded)
        {
            await HostCommand.RunAsync("bash", [script, "down", name], CancellationToken.None);
            throw new InvalidOperationException($"scripts/netns-link.sh up {name} failed ({up.ExitCode}): {up.StdErr.Trim()}");
        }

        var vars = up.StdOut.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new NetnsLink(script, name, vars);
    }

    /// <summary>Brings the shaped veth of one side down or up (a cut cable, from the kernel's point of view).</summary>
    public async Task SetLinkAsync(char side, bool up, CancellationToken cancellationToken) =>
        await HostCommand.CheckedAsync("ip", ["-n", NamespaceOf(side), "link", "set", DeviceOf(side), up ? "up" : "down"], cancellationToken);

    /// <summary>Bytes sent so far by one side's shaped veth.</summary>
    public async Task<long> TxBytesAsync(char side, CancellationToken cancellationToken)
    {
        var output = await HostCommand.CheckedAsync("ip", ["-n", NamespaceOf(side), "-s", "-j", "link", "show", DeviceOf(side)], cancellationToken);
        using var json = JsonDocument.Parse(output);
        return json.RootElement[0].GetProperty("stats64").GetProperty("tx").GetProperty("bytes").GetInt64();
    }

    public async ValueTask DisposeAsync() => await HostCommand.RunAsync("bash", [_script, "down", Name], CancellationToken.None);
}
