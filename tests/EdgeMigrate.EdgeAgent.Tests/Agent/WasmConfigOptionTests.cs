using EdgeMigrate.EdgeAgent.Hosting;

namespace EdgeMigrate.EdgeAgent.Tests.Agent;

/// <summary>--wasm-config: from the command line to the em_init config of the service it names.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WasmConfigOptionTests : IDisposable
{
    private readonly string _module = Path.Combine(Path.GetTempPath(), $"em-wasm-config-{Guid.NewGuid():N}.wasm");

    public WasmConfigOptionTests() => File.WriteAllBytes(_module, [0, 0x61, 0x73, 0x6d]);

    public void Dispose() => File.Delete(_module);

    [Fact]
    public async Task The_command_line_passes_each_config_to_its_service()
    {
        IDictionary<string, string?>? settings = null;
        var exit = await AgentCommandLine.Build((s, _) =>
        {
            settings = s;
            return Task.FromResult(0);
        }).Parse(["--node-id", "n1", "--mqtt-url", "mqtt://127.0.0.1:1883", "--run-wasm", $"svc-a={_module}", "--wasm-config", "svc-a=mib=128 dirty=4"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal("svc-a=mib=128 dirty=4", settings!["Agent:WasmConfig:0"]);
        var options = new AgentOptions { RunWasm = [$"svc-a={_module}"], WasmConfig = ["svc-a=mib=16", "svc-ab=other", "svc-a=mib=128 dirty=4"] };
        Assert.Equal("mib=128 dirty=4", ServiceRuns.ConfigOf(options, "svc-a")); // the last one wins; svc-ab is another service
        Assert.Null(ServiceRuns.ConfigOf(options, "svc-b"));
    }

    [Fact]
    public void A_config_for_a_service_that_is_not_started_is_refused_at_start_up()
    {
        var options = new AgentOptions
        {
            NodeId = "n1",
            MqttUrl = "mqtt://127.0.0.1:1883",
            RunWasm = [$"svc-a={_module}"],
            WasmConfig = ["svc-b=mib=16", "no-equals-sign"],
        };

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("--wasm-config 'svc-b=mib=16' must be SERVICE_ID=TEXT for a service started with --run-wasm", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("--wasm-config 'no-equals-sign'", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("--run-wasm '", result.FailureMessage, StringComparison.Ordinal);
    }
}
