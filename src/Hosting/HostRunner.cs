using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Hosting;

/// <summary>Runs a host until it stops; a setting that fails validation ends it with the message that names it, without a stack trace.</summary>
public static class HostRunner
{
    /// <summary>Exit code of a process that did not start because of its settings or inputs.</summary>
    public const int InvalidSettings = 2;

    /// <summary>
    /// Runs <paramref name="host"/> (and disposes it). Returns 0 after a normal stop, <see cref="InvalidSettings"/> after
    /// printing <c>TOOL: invalid settings:</c> and each failure, or after printing what <paramref name="describeRefusal"/>
    /// made of another start-up exception it recognises.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, string tool, CancellationToken cancellationToken, Func<Exception, string?>? describeRefusal = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            // The options registered with ValidateOnStart, checked before the host starts (and logs a failed start with a stack).
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.RunAsync(cancellationToken);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"{tool}: invalid settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}");
            return InvalidSettings;
        }
        catch (Exception ex) when (describeRefusal?.Invoke(ex) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"{tool}: {refusal}");
            return InvalidSettings;
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
