namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>A containerd, CRI or CRIU step of the containerd engine failed; the message says which and why (CRIU's own error line where there is one).</summary>
public sealed class ContainerdException : Exception
{
    public ContainerdException()
    {
    }

    public ContainerdException(string message)
        : base(message)
    {
    }

    public ContainerdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
