namespace EdgeMigrate.Decision.Prediction;

/// <summary>A model file that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class HandoverModelException : Exception
{
    public HandoverModelException()
    {
    }

    public HandoverModelException(string message)
        : base(message)
    {
    }

    public HandoverModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
