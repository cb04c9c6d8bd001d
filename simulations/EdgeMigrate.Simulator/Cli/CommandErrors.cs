using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Cli;

/// <summary>Input problems end the program with their message and exit code 2, not a stack trace.</summary>
internal static class CommandErrors
{
    public const int InputError = 2;

    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is MobilityInputException or ScenarioException or HandoverModelException or FormatException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return InputError;
        }
    }
}
