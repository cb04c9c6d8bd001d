using System.Net;
using EdgeMigrate.Messaging;
using EdgeMigrate.Models;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>Checks the settings at start-up; every message names the option to fix.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var problems = new List<string>();
        if (!EntityId.IsValid(options.NodeId))
        {
            problems.Add($"--node-id '{options.NodeId}' is not a valid id (letters, digits, '-', '_', '.', ':'; up to {EntityId.MaxLength} characters)");
        }

        if (!MqttBrokerAddress.TryParse(options.MqttUrl ?? string.Empty, out _, out var mqttProblem))
        {
            problems.Add($"--mqtt-url: {mqttProblem}");
        }

        if (!TryParseEndpoint(options.Listen, out _))
        {
            problems.Add($"--listen '{options.Listen}' must be IP:PORT, e.g. 0.0.0.0:7701 (port 0 picks a free one)");
        }

        if (options.Advertise is { } advertise && !(advertise.LastIndexOf(':') > 0 && int.TryParse(advertise.AsSpan(advertise.LastIndexOf(':') + 1), out var port) && port is > 0 and <= 65535))
        {
            problems.Add($"--advertise '{advertise}' must be HOST:PORT");
        }

        if (string.IsNullOrWhiteSpace(options.RuncRoot) || !Path.IsPathRooted(options.RuncRoot))
        {
            problems.Add("--runc-root must be an absolute path");
        }

        if (string.IsNullOrWhiteSpace(options.WorkDir) || !Path.IsPathRooted(options.WorkDir))
        {
            problems.Add("--work-dir must be an absolute path");
        }

        if (options.StatusInterval < TimeSpan.FromMilliseconds(100) || options.StatusInterval > TimeSpan.FromHours(1))
        {
            problems.Add("--status-interval must be between 0.1 and 3600 seconds");
        }

        foreach (var run in ServiceRuns.ContainerRuns(options))
        {
            var eq = run.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !EntityId.IsValid(run[..eq]) || !File.Exists(Path.Combine(run[(eq + 1)..], "config.json")))
            {
                problems.Add($"--run '{run}' must be SERVICE_ID=BUNDLE_DIR with a config.json in BUNDLE_DIR");
            }
        }

        foreach (var run in ServiceRuns.WasmRuns(options))
        {
            var eq = run.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !EntityId.IsValid(run[..eq]) || !File.Exists(run[(eq + 1)..]))
            {
                problems.Add($"--run-wasm '{run}' must be SERVICE_ID=MODULE.wasm naming an existing file");
            }
        }

        var wasmServices = ServiceRuns.WasmRuns(options).Select(r => r[..Math.Max(0, r.IndexOf('=', StringComparison.Ordinal))]).ToHashSet(StringComparer.Ordinal);
        foreach (var config in options.WasmConfig)
        {
            var eq = config.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !wasmServices.Contains(config[..eq]))
            {
                problems.Add($"--wasm-config '{config}' must be SERVICE_ID=TEXT for a service started with --run-wasm");
            }
        }

        if (options.WasmListen is { } wasmListen && !TryParseEndpoint(wasmListen, out _))
        {
            problems.Add($"--wasm-listen '{wasmListen}' must be IP:PORT, e.g. 0.0.0.0:7702 (port 0 picks a free one)");
        }

        if (options.MetricsListen is { } metricsListen && !(TryParseEndpoint(metricsListen, out var metrics) && metrics.Port > 0))
        {
            problems.Add($"--metrics-listen '{metricsListen}' must be IP:PORT with a port, e.g. 0.0.0.0:9464");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static bool TryParseEndpoint(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        return !string.IsNullOrWhiteSpace(text) && IPEndPoint.TryParse(text, out endpoint!) && text.Contains(':', StringComparison.Ordinal);
    }
}
