namespace EdgeMigrate.Silo.Grains;

public enum SequenceWindowVerdict
{
    /// <summary>Newer than anything seen: moves the device.</summary>
    Newest,

    /// <summary>Not seen, but older than the newest: counted, does not move the device.</summary>
    Late,

    /// <summary>Seen before: ignored.</summary>
    Duplicate,

    /// <summary>Older than the window: cannot be told apart from a duplicate, ignored.</summary>
    TooOld,
}
