using System.Diagnostics;
using System.Globalization;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>
/// A silo as its own OS process, started with the real command line, so cluster tests can stop one
/// the way an operator (or Kubernetes) does: SIGTERM, then a graceful shutdown.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private SiloProcess(Process process, int httpPort, string logPath)
    {
        _process = process;
        _logPath = logPath;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<SiloProcess> StartAsync(string name, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var httpPort = FreePort.Next();
        var logPath = Path.Combine(Path.GetTempPath(), $"edgemigrate-{name}-{Environment.ProcessId}-{httpPort}.log");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.SiloDll);
        foreach (var arg in arguments.Concat(["--http-host", "127.0.0.1", "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),
                     "--silo-port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePort.Next().ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, httpPort, logPath);
        try
        {
            await Eventually.GetAsync(silo.HealthAsync, h => h == "Healthy" || process.HasExited, $"silo {name} to become healthy", TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n--- {name} log ---\n{silo.LogTail()}", ex);
        }

        return process.HasExited ? throw new InvalidOperationException($"silo {name} exited with {process.ExitCode}:\n{silo.LogTail()}") : silo;
    }

    public async Task<string> HealthAsync()
    {
        try
        {
            return await Http.GetStringAsync("/healthz");
        }
        catch (HttpRequestException)
        {
            return "unreachable";
        }
    }

    /// <summary>SIGTERM, as a service manager stops a silo; waits for the graceful shutdown to finish.</summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public string LogTail(int lines = 60)
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(no log: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
