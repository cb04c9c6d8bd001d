using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeMigrate.Silo.Hosting;
using EdgeMigrate.Silo.Mqtt;
using Microsoft.Extensions.Time.Testing;

namespace EdgeMigrate.Testing;

/// <summary>
/// A real silo in this process: Orleans, the MQTT bridge, the HTTP API on loopback ports chosen by the OS.
/// Grains run on <see cref="GrainClock"/> (a <see cref="FakeTimeProvider"/>) so saga deadlines are tested
/// by advancing time, not by sleeping.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSilo(WebApplication app, int httpPort, int mqttPort, string dataDir, FakeTimeProvider clock)
    {
        _app = app;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        DataDir = dataDir;
        GrainClock = clock;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public int HttpPort { get; }

    public int MqttPort { get; }

    public string DataDir { get; }

    public FakeTimeProvider GrainClock { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a silo; <paramref name="dataDir"/> reuses a store (restart tests), <paramref name="settings"/> adds or overrides configuration.</summary>
    public static async Task<TestSilo> StartAsync(string? dataDir = null, IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        dataDir ??= Directory.CreateTempSubdirectory("edgemigrate-test-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 7, 30, 0, TimeSpan.Zero));
        for (var attempt = 1; ; attempt++)
        {
            var all = new Dictionary<string, string?>
            {
                ["Silo:HttpHost"] = "127.0.0.1",
                ["Silo:HttpPort"] = "0",
                ["Silo:DataDir"] = dataDir,
                ["Silo:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Silo:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Mqtt:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Migrations:AcceptTimeout"] = "00:00:30",
                ["Migrations:PhaseTimeout"] = "00:02:00",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }

            var app = SiloApplication.Build(all, builder =>
                builder.Services.AddKeyedSingleton<TimeProvider>(Orleans.Runtime.TimeProviderNames.Grains, clock));
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (attempt < 3 && IsAddressInUse(ex))
            {
                // A free port can be taken between FreePort.Next() and the bind (other test processes open
                // connections from the same ephemeral range): try again with new ports.
                await app.DisposeAsync();
                continue;
            }

            return await ConnectedAsync(app, all, dataDir, clock, cancellationToken);
        }
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<TestSilo> ConnectedAsync(WebApplication app, Dictionary<string, string?> all, string dataDir, FakeTimeProvider clock, CancellationToken cancellationToken)
    {
        // Kestrel bound port 0: ask it which port it got, so parallel tests never race for one.
        var httpPort = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First()).Port;
        await app.Services.GetRequiredService<MqttBridge>().Connected.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new TestSilo(app, httpPort, int.Parse(all["Mqtt:Port"]!, System.Globalization.CultureInfo.InvariantCulture), dataDir, clock);
    }

    /// <summary>GET and deserialize; a non-success status fails with the problem details the silo returned.</summary>
    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    public async Task<T?> GetOrDefaultAsync<T>(string path, CancellationToken cancellationToken = default) where T : class
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
