namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>The byte stream lost framing or the peer broke the protocol; the connection is dropped and resumed.</summary>
public sealed class TransferProtocolException : IOException
{
    public TransferProtocolException()
    {
    }

    public TransferProtocolException(string message)
        : base(message)
    {
    }

    public TransferProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
