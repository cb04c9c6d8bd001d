namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// Which of the last 64 sequence numbers of a device were seen, so a late report (another silo delivered
/// the next one first) counts once while a redelivered one does not count twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.Silo.SequenceWindow")]
public readonly record struct SequenceWindow([property: Id(0)] long Newest, [property: Id(1)] ulong SeenMask)
{
    public const int Size = 64;

    public SequenceWindowVerdict Classify(long sequence)
    {
        if (SeenMask == 0 || sequence > Newest)
        {
            return SequenceWindowVerdict.Newest;
        }

        var behind = Newest - sequence;
        return behind >= Size ? SequenceWindowVerdict.TooOld
            : (SeenMask & (1UL << (int)behind)) != 0 ? SequenceWindowVerdict.Duplicate
            : SequenceWindowVerdict.Late;
    }

    public SequenceWindow Record(long sequence)
    {
        if (SeenMask == 0)
        {
            return new SequenceWindow(sequence, 1);
        }

        if (sequence > Newest)
        {
            var shift = sequence - Newest;
            return new SequenceWindow(sequence, (shift >= Size ? 0 : SeenMask << (int)shift) | 1);
        }

        var behind = Newest - sequence;
        return behind >= Size ? this : this with { SeenMask = SeenMask | (1UL << (int)behind) };
    }
}
