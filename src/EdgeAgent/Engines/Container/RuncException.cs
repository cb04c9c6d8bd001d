namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>A runc/CRIU operation failed; the message carries the tail of its log.</summary>
public sealed class RuncException : Exception
{
    public RuncException()
    {
    }

    public RuncException(string message)
        : base(message)
    {
    }

    public RuncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
