using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeMigrate.Silo.Hosting;
using EdgeMigrate.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using EdgeMigrate.Silo.Mqtt;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The real silo in this process (built by SiloApplication.Build as the executable builds it): HTTP API on loopback,
/// embedded broker on all interfaces so the namespaced agents reach it over their host legs.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchSilo(WebApplication app, int httpPort, int mqttPort)
    {
        _app = app;
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int MqttPort { get; }

    public HttpClient Http { get; }

    public static async Task<BenchSilo> StartAsync(string dataDir, TimeSpan phaseTimeout, CancellationToken cancellationToken)
    {
        var mqttPort = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Silo:HttpHost"] = "127.0.0.1",
            ["Silo:HttpPort"] = "0",
            ["Silo:DataDir"] = dataDir,
            ["Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Migrations:AcceptTimeout"] = "00:01:00",
            ["Migrations:PhaseTimeout"] = phaseTimeout.ToString("c", CultureInfo.InvariantCulture),
        };
        var app = SiloApplication.Build(settings, b => b.Logging.AddFilter("EdgeMigrate", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
        await app.StartAsync(cancellationToken);
        var httpPort = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await app.Services.GetRequiredService<MqttBridge>().Connected.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new BenchSilo(app, httpPort, mqttPort);
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
