using System.Diagnostics;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Debian's <c>mosquitto_pub</c>: an MQTT client that is not ours, publishing to our broker.</summary>
public static class MosquittoCli
{
    public static async Task PublishAsync(int port, string topic, string payload, CancellationToken cancellationToken, bool retain = false)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", payload, "-V", "mqttv5" })
        {
            start.ArgumentList.Add(arg);
        }

        if (retain)
        {
            start.ArgumentList.Add("-r");
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("mosquitto_pub is not installed: run scripts/install-test-deps.sh (Debian package mosquitto-clients).", ex);
        }

        using (process)
        {
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_pub exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }
        }
    }
}
