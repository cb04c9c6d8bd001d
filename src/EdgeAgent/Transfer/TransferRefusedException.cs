namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>The receiver refused the sender (wrong token, unknown migration) or reported a fatal error. Not retried, except <see cref="RefusalCode.UnknownMigration"/> for a short while.</summary>
public sealed class TransferRefusedException : Exception
{
    public TransferRefusedException()
    {
    }

    public TransferRefusedException(string message)
        : base(message)
    {
    }

    public TransferRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransferRefusedException(RefusalCode code, string message)
        : base(message) => Code = code;

    public RefusalCode Code { get; } = RefusalCode.Fatal;
}
