using EdgeMigrate.Simulation.Engine;
using Spectre.Console;

namespace EdgeMigrate.Simulator.Cli;

/// <summary>Runs an engine with a Spectre.Console progress bar when a person is watching, silently when output is redirected.</summary>
internal static class TerminalProgress
{
    public static SimulationResult Run(SimulationEngine engine, string label, bool enabled, CancellationToken cancellationToken)
    {
        if (!enabled || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return engine.Run(null, cancellationToken);
        }

        SimulationResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 1.0);
                result = engine.Run(new SynchronousProgress(value => task.Value = value), cancellationToken);
            });
        return result!;
    }

    /// <summary>Any long step that reports a fraction done.</summary>
    public static T Run<T>(Func<IProgress<double>?, T> work, string label, bool enabled)
    {
        if (!enabled || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(null);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 1.0);
                result = work(new SynchronousProgress(value => task.Value = value));
            });
        return result;
    }

    /// <summary>Reports on the engine's thread; <see cref="Progress{T}"/> would post to a thread pool and lag behind.</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
