using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Mobility;

namespace EdgeMigrate.Simulation.Calibration;

/// <summary>
/// Reads the silo's migration history (<c>GET /api/migrations</c>: state, rounds, downtime and the saga's history with
/// its timestamps and notes), optionally with <c>GET /api/services</c> (each service's memory) and <c>GET /api/nodes</c>
/// (the agents' link estimates and sites). Only the documented JSON fields are read (docs/operator-api.md), so the
/// silo's types are not needed: downtime, rounds, state and the history's timestamps; the saga's notes ("round N: sent
/// X B", "final delta X B") only stand in for a service's memory when /api/services is not given. Migrations that did
/// not commit are counted and left out.
/// </summary>
public static partial class MigrationHistoryReader
{
    /// <param name="migrationsJson">The body of <c>GET /api/migrations</c> (an array of sagas).</param>
    /// <param name="servicesJson">Optional body of <c>GET /api/services</c>; without it a service's memory is taken from its first round.</param>
    /// <param name="nodesJson">Optional body of <c>GET /api/nodes</c>, for the nominal link rate and the nodes' sites.</param>
    /// <param name="source">Names the input in error messages.</param>
    public static MigrationHistory Read(string migrationsJson, string? servicesJson = null, string? nodesJson = null, string source = "migrations")
    {
        ArgumentNullException.ThrowIfNull(migrationsJson);
        var memory = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var service in Array(servicesJson, "services"))
        {
            if (service.TryGetProperty("spec", out var spec) && Text(spec, "serviceId") is { } id && Number(spec, "memoryMiB") is { } mib)
            {
                memory[id] = mib * MigrationCostParameters.Mebibyte;
            }
        }

        var links = new Dictionary<(string, string), (double? Mbps, double? RttMs)>();
        var sites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in Array(nodesJson, "nodes"))
        {
            if (Text(node, "nodeId") is not { } nodeId)
            {
                continue;
            }

            sites[nodeId] = Text(node, "siteId") ?? nodeId;
            if (node.TryGetProperty("links", out var peers) && peers.ValueKind == JsonValueKind.Object)
            {
                foreach (var peer in peers.EnumerateObject())
                {
                    links[(nodeId, peer.Name)] = (Number(peer.Value, "mbps"), Number(peer.Value, "rttMs"));
                }
            }
        }

        var measured = new List<MeasuredMigration>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var saga in Array(migrationsJson, source))
        {
            var why = Measure(saga, memory, links, sites, out var migration);
            if (migration is not null)
            {
                measured.Add(migration);
            }
            else
            {
                skipped[why] = skipped.GetValueOrDefault(why) + 1;
            }
        }

        return new MigrationHistory(measured, skipped, links.ToDictionary(l => (Site(sites, l.Key.Item1), Site(sites, l.Key.Item2)), l => l.Value));
    }

    private static string Measure(JsonElement saga, Dictionary<string, double> memory, Dictionary<(string, string), (double? Mbps, double? RttMs)> links, Dictionary<string, string> sites, out MeasuredMigration? migration)
    {
        migration = null;
        if (!saga.TryGetProperty("plan", out var plan) || Text(plan, "migrationId") is not { } id)
        {
            return "not a migration saga";
        }

        if (Text(saga, "state") is not ("committed" or "restored"))
        {
            return $"state {Text(saga, "state") ?? "?"}";
        }

        var history = saga.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array ? h.EnumerateArray().ToList() : [];
        var requested = Time(saga, "requestedAt");
        var restored = history.FirstOrDefault(e => Text(e, "state") == "restored");
        if (requested is null || restored.ValueKind != JsonValueKind.Object || Time(restored, "at") is not { } restoredAt || Number(saga, "downtimeMs") is not { } downtimeMs)
        {
            return "no restore time or downtime";
        }

        var notes = history.Select(e => Text(e, "note") ?? string.Empty).ToList();
        var rounds = notes.Select(n => RoundNote().Match(n)).Where(m => m.Success).ToList();
        var finalDelta = notes.Select(n => FinalNote().Match(n)).Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).LastOrDefault(double.NaN);
        var mode = Text(plan, "mode") switch
        {
            "stop-and-copy" => MigrationMode.StopAndCopy,
            "post-copy" => MigrationMode.PostCopy,
            _ => MigrationMode.PreCopy,
        };
        var service = Text(plan, "serviceId") ?? string.Empty;
        var bytes = memory.TryGetValue(service, out var known) ? known
            : mode == MigrationMode.PreCopy && rounds.Count > 0 ? double.Parse(rounds[0].Groups[2].Value, CultureInfo.InvariantCulture)
            : finalDelta;
        if (!(bytes > 0))
        {
            return "memory unknown (pass the services)";
        }

        var source = Text(plan, "sourceNodeId") ?? "?";
        var target = Text(plan, "targetNodeId") ?? "?";
        var engine = Text(plan, "engine") ?? "container";
        var limits = plan.TryGetProperty("limits", out var l) ? l : default;
        migration = new MeasuredMigration
        {
            Name = id,
            Group = $"{engine} {source} → {target}",
            Workload = Text(plan, "workload") ?? engine,
            Mode = mode,
            MemoryBytes = bytes,
            DowntimeSeconds = downtimeMs / 1000,
            TotalSeconds = (restoredAt - requested.Value).TotalSeconds,
            NominalBandwidthBytesPerSecond = links.TryGetValue((source, target), out var link) && link.Mbps is > 0 ? link.Mbps * 1e6 / 8 : null,
            StopThresholdBytes = limits.ValueKind == JsonValueKind.Object && Number(limits, "stopThresholdBytes") is { } stop ? stop : 4 * MigrationCostParameters.Mebibyte,
            MaxRounds = limits.ValueKind == JsonValueKind.Object && Number(limits, "maxRounds") is { } max ? (int)max : 8,
            LiveRounds = Number(saga, "rounds") is { } liveRounds ? (int)liveRounds : rounds.Count,
            FinalDeltaBytes = double.IsNaN(finalDelta) ? null : finalDelta,
            Path = (Site(sites, source), Site(sites, target)),
        };
        return "ok";
    }

    private static string Site(Dictionary<string, string> sites, string node) => sites.GetValueOrDefault(node, node);

    private static IEnumerable<JsonElement> Array(string? json, string what)
    {
        if (json is null)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())]
                : throw new MobilityInputException(what, null, null, "expected a JSON array (the body of the silo's list endpoint)");
        }
        catch (JsonException e)
        {
            throw new MobilityInputException(what, e.LineNumber + 1, null, $"not JSON: {e.Message}");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    [GeneratedRegex(@"^round (\d+): sent (\d+) B")]
    private static partial Regex RoundNote();

    [GeneratedRegex(@"final delta (\d+) B")]
    private static partial Regex FinalNote();
}
