using System.Reflection;
using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Decision.Tests;

[Trait("Category", "Unit")]
public sealed class HandoverFeatureTests
{
    [Fact]
    public void CopyTo_writes_every_feature_in_column_order()
    {
        var features = new HandoverFeatures();
        var fields = typeof(HandoverFeatures).GetFields(BindingFlags.Public | BindingFlags.Instance).ToDictionary(f => f.Name);
        for (var i = 0; i < HandoverFeatures.Count; i++)
        {
            fields[HandoverFeatures.Names[i]].SetValue(features, (float)(i + 1));
        }

        var vector = features.ToArray();

        Assert.Equal(HandoverFeatures.Count, HandoverFeatures.Names.Count);
        Assert.Equal(Enumerable.Range(1, HandoverFeatures.Count).Select(i => (float)i), vector);
        Assert.Equal(16, HandoverFeatures.SchemaHash.Length);
    }

    [Fact]
    public void Window_produces_nothing_until_it_has_enough_history_and_restarts_after_a_gap()
    {
        var window = new DeviceFeatureWindow();
        var observations = PredictionTestData.DriveEast(10, 60).ToArray();

        for (var i = 0; i < DeviceFeatureWindow.MinimumHistory - 1; i++)
        {
            Assert.Null(window.Observe(observations[i]));
        }

        Assert.NotNull(window.Observe(observations[DeviceFeatureWindow.MinimumHistory - 1]));
        var late = observations[40] with { TimeSeconds = 500 };
        Assert.Null(window.Observe(late)); // more than MaxGapSeconds later: history starts again
    }

    [Fact]
    public void Features_describe_motion_and_the_coming_crossing()
    {
        var window = new DeviceFeatureWindow();
        HandoverFeatures? features = null;
        // 10 m/s east from site 0; the boundary with site 1 is at 250 m, reached at t = 25 s.
        foreach (var observation in PredictionTestData.DriveEast(10, 16))
        {
            features = window.Observe(observation) ?? features;
        }

        Assert.NotNull(features);
        Assert.Equal(0, features.BestSite);
        Assert.Equal(10, features.SpeedMps, 0.05);
        Assert.Equal(0, features.HeadingChangeDeg, 0.5);
        Assert.Equal(1, features.HostIsBest);
        Assert.Equal(1, features.CandidateSites[0]); // the neighbour ahead (1) and behind (-1 does not exist) ... site 1 ranks first
        Assert.Equal(-10, features.C0RadialMps, 0.1);
        Assert.Equal(1, features.C0CosBearing, 0.01);
        Assert.Equal(10, features.C0CrossingSeconds, 0.5); // at t = 15 s, 10 s before the boundary
        Assert.Equal(10, features.BestRadialMps, 0.1);
    }

    [Fact]
    public void Same_observations_give_bitwise_identical_features()
    {
        var a = new DeviceFeatureWindow();
        var b = new DeviceFeatureWindow();
        foreach (var observation in PredictionTestData.DriveEast(7.3, 40))
        {
            var fa = a.Observe(observation);
            // A copy with its own site buffer, as a silo would build from a telemetry message.
            var copy = observation with { Sites = observation.Sites.ToArray() };
            var fb = b.Observe(copy);
            Assert.Equal(fa?.ToArray(), fb?.ToArray());
            Assert.Equal(fa?.CandidateSites, fb?.CandidateSites);
        }
    }
}
