using EdgeMigrate.Silo.Grains;

namespace EdgeMigrate.Silo.Tests.Contracts;

[Trait("Category", TestCategories.Unit)]
public sealed class SequenceWindowTests
{
    [Fact]
    public void Newest_late_duplicate_and_too_old_are_told_apart()
    {
        var window = default(SequenceWindow).Record(10).Record(12);

        Assert.Equal(SequenceWindowVerdict.Newest, window.Classify(13));
        Assert.Equal(SequenceWindowVerdict.Late, window.Classify(11));
        Assert.Equal(SequenceWindowVerdict.Duplicate, window.Classify(10));
        Assert.Equal(SequenceWindowVerdict.Duplicate, window.Classify(12));
        Assert.Equal(SequenceWindowVerdict.TooOld, window.Classify(12 - SequenceWindow.Size));
        Assert.Equal(SequenceWindowVerdict.Duplicate, window.Record(11).Classify(11));
    }

    [Fact]
    public void A_jump_beyond_the_window_forgets_the_old_ones()
    {
        var window = default(SequenceWindow).Record(1).Record(1 + SequenceWindow.Size + 5);

        Assert.Equal(1UL, window.SeenMask);
        Assert.Equal(SequenceWindowVerdict.TooOld, window.Classify(1));
    }

    [Fact]
    public void The_first_report_is_always_the_newest() =>
        Assert.Equal(SequenceWindowVerdict.Newest, default(SequenceWindow).Classify(0));
}
