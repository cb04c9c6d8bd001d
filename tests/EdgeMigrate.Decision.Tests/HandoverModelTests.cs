using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Decision.Tests;

/// <summary>Shares one small trained model between the tests of a class (training takes a second or two).</summary>
public sealed class SmallModelFixture : IDisposable
{
    public SmallModelFixture()
    {
        Model = HandoverTrainer.Train(PredictionTestData.SyntheticExamples(1500, seed: 3), PredictionTestData.SmallOptions(seed: 7));
        using var buffer = new MemoryStream();
        Model.Save(buffer);
        Bytes = buffer.ToArray();
    }

    public HandoverModel Model { get; }

    public byte[] Bytes { get; }

    public void Dispose() => Model.Dispose();
}

[Trait("Category", "Ml")]
public sealed class HandoverModelTests(SmallModelFixture fixture) : IClassFixture<SmallModelFixture>
{
    private static HandoverFeatures Probe(int variant)
    {
        var window = new DeviceFeatureWindow();
        HandoverFeatures? features = null;
        foreach (var observation in PredictionTestData.DriveEast(5 + variant, 12))
        {
            features = window.Observe(observation) ?? features;
        }

        return features!;
    }

    [Fact]
    public void Same_seed_and_data_train_the_same_model()
    {
        using var again = HandoverTrainer.Train(PredictionTestData.SyntheticExamples(1500, seed: 3), PredictionTestData.SmallOptions(seed: 7));

        Assert.Equal(fixture.Model.Version, again.Version);
        Assert.Equal(fixture.Model.Metadata.Training, again.Metadata.Training);
        for (var variant = 0; variant < 5; variant++)
        {
            Assert.Equal(fixture.Model.Predict(Probe(variant)), again.Predict(Probe(variant)));
        }
    }

    [Fact]
    public void Saved_model_loads_with_the_same_version_and_predictions()
    {
        using var loaded = HandoverModel.Load(new MemoryStream(fixture.Bytes), "small.zip");

        Assert.Equal(fixture.Model.Version, loaded.Version);
        Assert.StartsWith("hm1-", loaded.Version, StringComparison.Ordinal);
        for (var variant = 0; variant < 5; variant++)
        {
            var prediction = loaded.Predict(Probe(variant));
            Assert.Equal(fixture.Model.Predict(Probe(variant)), prediction);
            Assert.InRange(prediction.Confidence, 0f, 1f);
            Assert.InRange(prediction.SecondsToHandover, 0, loaded.HorizonSeconds);
            Assert.Contains(prediction.NextSite, Probe(variant).CandidateSites);

            var row = SiteRow(variant);
            Assert.Equal(fixture.Model.PredictReachSeconds(row), loaded.PredictReachSeconds(row));
            Assert.InRange(loaded.PredictReachSeconds(row), 0, loaded.ReachHorizonSeconds);
            Assert.Equal(fixture.Model.PredictBreachProbability(row, 40), loaded.PredictBreachProbability(row, 40));
            Assert.InRange(loaded.PredictBreachProbability(row, 40), 0, 1);
        }
    }

    [Fact]
    public void The_site_models_learn_their_rule()
    {
        // PredictionTestData: reach = 3 × the LatencyMs column, capped; so a site at 10 lasts 30 s, one at 60 the horizon.
        var near = SiteRow(0);
        near[SiteReachFeatures.LatencyMs] = 10;
        var far = SiteRow(0);
        far[SiteReachFeatures.LatencyMs] = 90;

        Assert.True(fixture.Model.PredictReachSeconds(near) < fixture.Model.PredictReachSeconds(far));
        Assert.True(fixture.Model.PredictBreachProbability(near, 60) > fixture.Model.PredictBreachProbability(far, 60));
        Assert.True(fixture.Model.PredictBreachProbability(near, 100) >= fixture.Model.PredictBreachProbability(near, 10));
        Assert.InRange(fixture.Model.Metadata.Training.BreachAuc, 0.8, 1.0);
    }

    [Fact]
    public void A_version_1_model_is_refused_with_retrain()
    {
        var bytes = EditMetadata(fixture.Bytes, json =>
        {
            json["formatVersion"] = 1;
            json.Remove("reachFeatureSchemaHash");
        });

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "v1.zip"));

        Assert.Contains("format version 1 is not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_reach_feature_schema_is_refused()
    {
        var bytes = EditMetadata(fixture.Bytes, json => json["reachFeatureSchemaHash"] = "0123456789abcdef");

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "old.zip"));

        Assert.Contains("reach feature schema mismatch", error.Message, StringComparison.Ordinal);
    }

    private static float[] SiteRow(int variant) =>
        [.. Enumerable.Range(0, SiteReachFeatures.Count).Select(i => (float)((i * 7 + variant * 13) % 50))];

    [Fact]
    public async Task Predict_is_thread_safe()
    {
        var probes = Enumerable.Range(0, 8).Select(Probe).ToArray();
        var expected = probes.Select(fixture.Model.Predict).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () => Enumerable.Range(0, 500).All(i => fixture.Model.Predict(probes[i % probes.Length]) == expected[i % probes.Length]),
            TestContext.Current.CancellationToken)));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Random_bytes_are_not_a_zip()
    {
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "noise.zip"));

        Assert.Contains("noise.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_name()
    {
        var truncated = fixture.Bytes[..(fixture.Bytes.Length / 2)];

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(truncated), "cut.zip"));

        Assert.StartsWith("cut.zip: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timing.mlnet")]
    [InlineData("next-site.mlnet")]
    [InlineData("reach.mlnet")]
    [InlineData("breach.mlnet")]
    [InlineData("metadata.json")]
    public void A_missing_entry_is_named(string entry)
    {
        var bytes = Rewrite(fixture.Bytes, drop: entry);

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "partial.zip"));

        Assert.Contains($"entry '{entry}' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_model_entry_is_named()
    {
        var bytes = Rewrite(fixture.Bytes, replace: ("timing.mlnet", Encoding.UTF8.GetBytes("not a model")));

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "bad.zip"));

        Assert.Contains("'timing.mlnet' is not a valid ML.NET model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        var bytes = EditMetadata(fixture.Bytes, json => json["formatVersion"] = 99);

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "future.zip"));

        Assert.Contains("format version 99 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_feature_schema_is_refused()
    {
        var bytes = EditMetadata(fixture.Bytes, json => json["featureSchemaHash"] = "0123456789abcdef");

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "old.zip"));

        Assert.Contains("feature schema mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_metadata_json_is_refused()
    {
        var bytes = Rewrite(fixture.Bytes, replace: ("metadata.json", Encoding.UTF8.GetBytes("{ not json")));

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(new MemoryStream(bytes), "meta.zip"));

        Assert.Contains("metadata.json is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_model_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), "edgemigrate-no-such-model-" + Guid.NewGuid().ToString("N") + ".zip");

        var error = Assert.Throws<HandoverModelException>(() => HandoverModel.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static byte[] EditMetadata(byte[] model, Action<JsonObject> edit)
    {
        using var archive = new ZipArchive(new MemoryStream(model), ZipArchiveMode.Read);
        using var reader = new StreamReader(archive.GetEntry("metadata.json")!.Open());
        var json = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        edit(json);
        return Rewrite(model, replace: ("metadata.json", Encoding.UTF8.GetBytes(json.ToJsonString())));
    }

    private static byte[] Rewrite(byte[] model, string? drop = null, (string Name, byte[] Content)? replace = null)
    {
        using var source = new ZipArchive(new MemoryStream(model), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                if (entry.FullName == drop)
                {
                    continue;
                }

                using var to = target.CreateEntry(entry.FullName).Open();
                if (replace is { } r && r.Name == entry.FullName)
                {
                    to.Write(r.Content);
                }
                else
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }

        return output.ToArray();
    }
}
