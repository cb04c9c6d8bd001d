using System.Globalization;
using System.Runtime.InteropServices;
using EdgeMigrate.EdgeAgent.Engines;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Status;

/// <summary>Builds the node status: architecture, available engines, free CPU and memory from /proc, transfer endpoint, the engines' services.</summary>
public sealed class NodeStatusProvider(IOptions<AgentOptions> options, MigrationEngines engines, TransferServer transfer, TimeProvider time)
{
    private (ulong Idle, ulong Total)? _lastCpu;

    public static CpuArchitecture? Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => CpuArchitecture.X64,
        System.Runtime.InteropServices.Architecture.Arm64 => CpuArchitecture.Arm64,
        _ => null,
    };

    /// <summary>What peers connect to: --advertise, else --listen when it names an address, else the first non-loopback IPv4 address.</summary>
    public string? TransferEndpoint
    {
        get
        {
            if (options.Value.Advertise is { } advertise)
            {
                return advertise;
            }

            if (transfer.BoundEndpoint is not { } bound)
            {
                return null;
            }

            if (!bound.Address.Equals(System.Net.IPAddress.Any))
            {
                return bound.ToString();
            }

            var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a));
            return $"{address ?? System.Net.IPAddress.Loopback}:{bound.Port}";
        }
    }

    public async Task<NodeStatusMessage> BuildAsync(CancellationToken cancellationToken)
    {
        var available = engines.Available;
        var services = new List<string>();
        foreach (var engine in available)
        {
            services.AddRange(await engine.ListServicesAsync(cancellationToken));
        }

        return new NodeStatusMessage
        {
            SchemaVersion = ContractVersion.Current,
            NodeId = options.Value.NodeId,
            Timestamp = time.GetUtcNow(),
            Online = true,
            Arch = Architecture,
            Engines = [.. available.Select(e => e.Kind)],
            CpuFree = CpuFree(),
            MemFreeMiB = MemFreeMiB(),
            TransferEndpoint = TransferEndpoint,
            Services = services,
        };
    }

    /// <summary>Share of CPU time idle since the previous call (from /proc/stat); null on the first call or without /proc.</summary>
    private double? CpuFree()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + (cpu.Length > 4 ? cpu[4] : 0);
        var total = cpu.Aggregate(0UL, (a, b) => a + b);
        var last = _lastCpu;
        _lastCpu = (idle, total);
        if (last is not { } previous || total <= previous.Total)
        {
            return null;
        }

        return Math.Clamp((double)(idle - previous.Idle) / (total - previous.Total), 0, 1);
    }

    private static double? MemFreeMiB()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            return null;
        }

        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
