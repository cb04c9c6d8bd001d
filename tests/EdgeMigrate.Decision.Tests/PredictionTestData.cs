using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Decision.Tests;

/// <summary>Hand-made telemetry and small training sets for the prediction tests.</summary>
internal static class PredictionTestData
{
    public static readonly GeoPoint Origin = new(40.6, -74.1);

    /// <summary>Sites on a line east of the origin, 500 m apart; index = position.</summary>
    public static GeoPoint SiteAt(int site) => Origin.Offset(500 * site, 90);

    /// <summary>A device driving east at <paramref name="speed"/> m/s, one observation per second, latency = 4 ms + 10 ms/km access + 15 ms/km backhaul.</summary>
    public static IEnumerable<DeviceObservation> DriveEast(double speed, int seconds, int host = 0, int device = 0)
    {
        for (var t = 0; t < seconds; t++)
        {
            var position = Origin.Offset(speed * t, 90);
            var serving = (int)Math.Round(speed * t / 500);
            var sites = new List<SiteMeasurement>();
            foreach (var site in new[] { serving - 1, serving, serving + 1, serving + 2, host }.Distinct())
            {
                if (site < 0)
                {
                    continue;
                }

                var access = 4 + 10 * position.DistanceMetresTo(SiteAt(serving)) / 1000;
                var backhaul = site == serving ? 0 : 6 + 15 * Math.Abs(site - serving) * 0.5;
                sites.Add(new SiteMeasurement(site, access + backhaul, position.DistanceMetresTo(SiteAt(site))));
            }

            yield return new DeviceObservation(device, t, position, serving, host, false, sites.ToArray());
        }
    }

    /// <summary>
    /// Examples with learnable rules: seconds from the crossing feature, next rank from the radial velocity of rank 0, and
    /// a site's reach = 3 × its latency column (capped at 300 s).
    /// </summary>
    public static HandoverDataset SyntheticExamples(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<HandoverExample>(count);
        for (var i = 0; i < count; i++)
        {
            var features = new float[HandoverFeatures.Count];
            for (var f = 0; f < features.Length; f++)
            {
                features[f] = (float)random.NextDouble() * 100;
            }

            var seconds = Math.Min(120, features[17] * 1.2f);
            var rank = features[18 + 5] > 50 ? 0 : features[4] > 50 ? 1 : 2;
            examples.Add(new HandoverExample(features, seconds, seconds < 120 ? rank : -1, i % 40));
        }

        var reach = new List<SiteReachExample>(count);
        for (var i = 0; i < count; i++)
        {
            var features = new float[SiteReachFeatures.Count];
            for (var f = 0; f < features.Length; f++)
            {
                features[f] = (float)random.NextDouble() * 100;
            }

            features[SiteReachFeatures.WithinSeconds] = 0;
            reach.Add(new SiteReachExample(features, Math.Min(300, 3 * features[SiteReachFeatures.LatencyMs]), i % 40));
        }

        return new HandoverDataset(examples, reach);
    }

    public static HandoverTrainingOptions SmallOptions(int seed) => new() { Seed = seed, Trees = 10, Leaves = 8, DataDescription = "unit test" };
}
