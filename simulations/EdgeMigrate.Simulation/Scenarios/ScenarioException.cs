namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>A scenario that cannot run, with a message that says which setting to fix.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException()
    {
    }

    public ScenarioException(string message)
        : base(message)
    {
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
