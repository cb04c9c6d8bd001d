using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Tests;

/// <summary>Every expected value below is worked out by hand in the comment next to it.</summary>
[Trait("Category", "Unit")]
public sealed class PreCopyCostModelTests
{
    private const double Mb = 1e6;

    // M = 100 MB, B = 10 MB/s, D = 5 MB/s, so r = 0.5; stop at 10 MB; 0.5 s freeze/restore.
    private static readonly MigrationCostParameters Halving = new()
    {
        MemoryBytes = 100 * Mb,
        BandwidthBytesPerSecond = 10 * Mb,
        DirtyRateBytesPerSecond = 5 * Mb,
        StopThresholdBytes = 10 * Mb,
        MaxRounds = 30,
        FixedDowntimeSeconds = 0.5,
    };

    [Fact]
    public void Pre_copy_stops_at_the_first_remainder_under_the_threshold()
    {
        // Rounds send 100, 50, 25, 12.5 MB; then 6.25 MB <= 10 MB remains: 4 rounds.
        var estimate = PreCopyCostModel.Estimate(Halving);

        Assert.Equal(MigrationMode.PreCopy, estimate.Mode);
        Assert.Equal(4, estimate.Rounds);
        Assert.True(estimate.Converged);
        Assert.Equal(6.25 * Mb, estimate.FinalRemainderBytes, 6);
        Assert.Equal(193.75 * Mb, estimate.BytesTransferred, 6);   // 187.5 live + 6.25 frozen
        Assert.Equal(1.125, estimate.DowntimeSeconds, 9);          // 6.25/10 + 0.5
        Assert.Equal(19.875, estimate.TotalSeconds, 9);            // 187.5/10 + 1.125
        Assert.Equal(18.75, estimate.LiveSeconds, 9);
    }

    [Fact]
    public void Round_cap_cuts_pre_copy_short_and_reports_it()
    {
        // 2 rounds: 100 + 50 MB live (15 s), 25 MB left, 2.5 s to send + 0.5 s fixed.
        var estimate = PreCopyCostModel.Estimate(Halving with { MaxRounds = 2 });

        Assert.Equal(2, estimate.Rounds);
        Assert.False(estimate.Converged);
        Assert.Equal(3.0, estimate.DowntimeSeconds, 9);
        Assert.Equal(18.0, estimate.TotalSeconds, 9);
        Assert.Equal(175 * Mb, estimate.BytesTransferred, 6);
    }

    [Theory]
    [InlineData(10.0)] // r = 1
    [InlineData(25.0)] // r = 2.5
    public void Dirty_rate_at_or_above_bandwidth_falls_back_to_stop_and_copy(double dirtyMbPerSecond)
    {
        // Stop-and-copy: 100 MB / 10 MB/s + 0.5 s, all of it downtime.
        var estimate = PreCopyCostModel.Estimate(Halving with { DirtyRateBytesPerSecond = dirtyMbPerSecond * Mb });

        Assert.Equal(MigrationMode.StopAndCopy, estimate.Mode);
        Assert.False(estimate.Converged);
        Assert.Equal(0, estimate.Rounds);
        Assert.Equal(10.5, estimate.DowntimeSeconds, 9);
        Assert.Equal(10.5, estimate.TotalSeconds, 9);
        Assert.Equal(100 * Mb, estimate.BytesTransferred, 6);
    }

    [Fact]
    public void Stop_and_copy_downtime_is_memory_over_bandwidth_plus_fixed_cost()
    {
        var estimate = PreCopyCostModel.Estimate(Halving with { Mode = MigrationMode.StopAndCopy });

        Assert.Equal(MigrationMode.StopAndCopy, estimate.Mode);
        Assert.True(estimate.Converged);
        Assert.Equal(10.5, estimate.DowntimeSeconds, 9);
        Assert.Equal(10.5, estimate.TotalSeconds, 9);
    }

    [Fact]
    public void Service_that_writes_nothing_needs_one_round_and_only_the_fixed_pause()
    {
        // One live copy of 100 MB (10 s); nothing dirtied, so downtime is the 0.5 s freeze/restore alone.
        var estimate = PreCopyCostModel.Estimate(Halving with { DirtyRateBytesPerSecond = 0 });

        Assert.Equal(1, estimate.Rounds);
        Assert.Equal(0.5, estimate.DowntimeSeconds, 9);
        Assert.Equal(10.5, estimate.TotalSeconds, 9);
        Assert.Equal(100 * Mb, estimate.BytesTransferred, 6);
    }

    [Fact]
    public void Simulator_defaults_match_the_hand_computation()
    {
        // M = 256 MiB = 268435456 B, B = 100 Mbit/s = 12.5e6 B/s, D = 4 MiB/s: r = 4194304 / 12.5e6 = 0.33554432.
        // Remainders: 90.07, 30.22, 10.14, 3.40 MB; 3.40 MB <= 4 MiB after round 4.
        // Remainder M·r^4 = 3402823.669 B; downtime = 3402823.669 / 12.5e6 + 0.2 = 0.47222589 s.
        // Live = M(1 + r + r² + r³) = 398871798.84 B, 31.90974391 s; total 32.3819698 s.
        var estimate = PreCopyCostModel.Estimate(MigrationCostParameters.Default);

        Assert.Equal(4, estimate.Rounds);
        Assert.True(estimate.Converged);
        Assert.Equal(3402823.669, estimate.FinalRemainderBytes, 2);
        Assert.Equal(0.47222589, estimate.DowntimeSeconds, 7);
        Assert.Equal(32.3819698, estimate.TotalSeconds, 6);
        Assert.Equal(402274622.51, estimate.BytesTransferred, 1);
    }

    [Fact]
    public void Post_copy_pauses_only_for_the_fixed_cost()
    {
        var estimate = PreCopyCostModel.Estimate(Halving with { Mode = MigrationMode.PostCopy });

        Assert.Equal(MigrationMode.PostCopy, estimate.Mode);
        Assert.Equal(0.5, estimate.DowntimeSeconds, 9);
        Assert.Equal(10.5, estimate.TotalSeconds, 9);
    }

    [Fact]
    public void Validate_names_the_bad_field()
    {
        var problems = (Halving with { BandwidthBytesPerSecond = 0, MaxRounds = 0 }).Validate();

        Assert.Contains(problems, p => p.Contains("bandwidthBytesPerSecond", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("maxRounds", StringComparison.Ordinal));
    }

    [Fact]
    public void A_round_overhead_lengthens_every_round_and_feeds_the_next_one()
    {
        // c = 2 s per round, D = 5 MB/s: each round also dirties 10 MB during its overhead.
        // Round 0: 100 MB (10 s + 2 s), next = 100·0.5 + 10 = 60 MB; round 1: 60 MB (6 + 2 s), next = 40 MB;
        // round 2: 40 MB (4 + 2 s), next = 30 MB; round 3: 30 MB (3 + 2 s), next = 25 MB; round 4: 25 MB < 0.9·30? yes (27):
        // sent, next = 22.5 MB; round 5: 22.5 < 0.9·25 = 22.5? no: it is sent and is the last live round, next = 21.25 MB.
        var estimate = PreCopyCostModel.Estimate(Halving with { RoundOverheadSeconds = 2 });

        Assert.Equal(6, estimate.Rounds);
        Assert.False(estimate.Converged);
        Assert.Equal(21.25 * Mb, estimate.FinalRemainderBytes, 6);
        Assert.Equal(2.125 + 0.5, estimate.DowntimeSeconds, 9);
        // Live: (100 + 60 + 40 + 30 + 25 + 22.5) MB / 10 MB/s + 6 · 2 s = 27.75 + 12 s.
        Assert.Equal(27.75 + 12 + 2.625, estimate.TotalSeconds, 9);
        Assert.Equal((277.5 + 21.25) * Mb, estimate.BytesTransferred, 6);
    }

    [Fact]
    public void Setup_adds_to_the_duration_only()
    {
        var without = PreCopyCostModel.Estimate(Halving);
        var with = PreCopyCostModel.Estimate(Halving with { SetupSeconds = 1.5 });

        Assert.Equal(without.DowntimeSeconds, with.DowntimeSeconds);
        Assert.Equal(without.TotalSeconds + 1.5, with.TotalSeconds, 9);
        Assert.Equal(1.5 + 10.5, PreCopyCostModel.Estimate(Halving with { SetupSeconds = 1.5, Mode = MigrationMode.StopAndCopy }).TotalSeconds, 9);
    }

    [Fact]
    public void Without_the_fall_back_pre_copy_that_cannot_converge_does_what_the_agents_do()
    {
        // r = 2.5: round 0 sends 100 MB, the rest is all of memory again (capped at M); round 1 sends 100 MB, which did not
        // shrink: it is the last live round, and 100 MB go over frozen.
        var estimate = PreCopyCostModel.Estimate(Halving with { DirtyRateBytesPerSecond = 25 * Mb, FallBackToStopAndCopy = false });

        Assert.Equal(MigrationMode.PreCopy, estimate.Mode);
        Assert.Equal(2, estimate.Rounds);
        Assert.False(estimate.Converged);
        Assert.Equal(10.5, estimate.DowntimeSeconds, 9);
        Assert.Equal(20 + 10.5, estimate.TotalSeconds, 9);
        Assert.Equal(300 * Mb, estimate.BytesTransferred, 6);
    }
}
