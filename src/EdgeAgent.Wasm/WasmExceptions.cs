namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// A migration or restore was refused, before any state moved (source side) or before the workload
/// started serving (target side). <see cref="Exception.Message"/> is the reason, fit for an operator.
/// </summary>
public sealed class WasmMigrationRefusedException : Exception
{
    public WasmMigrationRefusedException()
    {
    }

    public WasmMigrationRefusedException(string message)
        : base(message)
    {
    }

    public WasmMigrationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The workload trapped, or broke the contract during a call; it accepts no further requests.</summary>
public sealed class WasmWorkloadFaultedException : Exception
{
    public WasmWorkloadFaultedException()
    {
    }

    public WasmWorkloadFaultedException(string message)
        : base(message)
    {
    }

    public WasmWorkloadFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The workload was handed over to another node while this request waited at the call gate: send the
/// request to the workload's new place (the agent knows it from the migration command).
/// </summary>
public sealed class WasmWorkloadMovedException : Exception
{
    public WasmWorkloadMovedException()
    {
    }

    public WasmWorkloadMovedException(string message)
        : base(message)
    {
    }

    public WasmWorkloadMovedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
