namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>What an injected fault does to one outgoing data frame.</summary>
public enum FrameFault
{
    None,

    /// <summary>Flip a payload byte after the checksum was computed: the receiver must detect it and ask again.</summary>
    CorruptPayload,

    /// <summary>Cut the TCP connection before this frame: the sender must reconnect and resume.</summary>
    DropConnection,
}

/// <summary>Fault-injection seam for tests and the fault benchmarks; does nothing unless <see cref="OnSend"/> is set.</summary>
public sealed class TransferFaults
{
    public Func<FrameHeader, FrameFault>? OnSend { get; set; }

    public FrameFault Decide(FrameHeader header) => OnSend?.Invoke(header) ?? FrameFault.None;
}
