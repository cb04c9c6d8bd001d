using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>
/// A trained, versioned handover model: one zip holding the timing regression, the next-site classifier, the site
/// reach regression (all ML.NET models) and metadata.json (format version, feature schema hash, horizon, seed, training summary).
/// <see cref="Predict"/> and <see cref="PredictReachSeconds"/> are thread-safe: ML.NET prediction engines are not, so
/// each call borrows a set from a pool.
/// </summary>
public sealed class HandoverModel : IHandoverPredictor, IDisposable
{
    /// <summary>2: adds the reach model (version 1 files had only timing and next site).</summary>
    public const int FormatVersion = 2;
    internal const string MetadataEntry = "metadata.json";
    internal const string TimingEntry = "timing.mlnet";
    internal const string NextSiteEntry = "next-site.mlnet";
    internal const string ReachEntry = "reach.mlnet";
    internal const string BreachEntry = "breach.mlnet";

    /// <summary>Zip entries get a fixed time so the same model writes the same bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly MLContext _ml;
    private readonly ITransformer _timing;
    private readonly ITransformer _nextSite;
    private readonly ITransformer _reach;
    private readonly ITransformer _breach;
    private readonly ObjectPool<Engines> _pool;

    internal HandoverModel(MLContext ml, ITransformer timing, ITransformer nextSite, ITransformer reach, ITransformer breach, HandoverModelMetadata metadata)
    {
        _reach = reach;
        _breach = breach;
        _ml = ml;
        _timing = timing;
        _nextSite = nextSite;
        Metadata = metadata;
        Version = "hm1-" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(metadata, HandoverModelJson.Default.HandoverModelMetadata)))[..12];
        _pool = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(2, Environment.ProcessorCount * 2) }.Create(new EnginePolicy(this));
    }

    /// <summary>Identifies the model: a hash of its metadata (schema, horizon, seed, data and held-back metrics), e.g. <c>hm1-3f2a9c01b7de</c>.</summary>
    public string Version { get; }

    public HandoverModelMetadata Metadata { get; }

    public double HorizonSeconds => Metadata.HorizonSeconds;

    public double ReachHorizonSeconds => Metadata.ReachHorizonSeconds;

    /// <summary>Loads a model file; a corrupt or incompatible file gives <see cref="HandoverModelException"/> naming the file and the problem.</summary>
    public static HandoverModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HandoverModelException($"{path}: cannot read the model file: {e.Message}", e);
        }

        using (stream)
        {
            return Load(stream, path);
        }
    }

    /// <param name="stream">The model file's bytes.</param>
    /// <param name="name">Names the model in error messages (a path, a URL, a blob name).</param>
    public static HandoverModel Load(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new HandoverModelException($"{name}: not a handover model: not a zip file ({e.Message})", e);
        }

        using (archive)
        {
            var metadata = ReadMetadata(archive, name);
            if (metadata.FormatVersion != FormatVersion)
            {
                throw new HandoverModelException($"{name}: model format version {metadata.FormatVersion} is not supported; this build reads version {FormatVersion} (retrain with the matching simulator)");
            }

            if (metadata.FeatureSchemaHash != HandoverFeatures.SchemaHash)
            {
                throw new HandoverModelException($"{name}: feature schema mismatch: the model was trained on features {metadata.FeatureSchemaHash} ({metadata.Features.Count} features), this build extracts {HandoverFeatures.SchemaHash} ({HandoverFeatures.Count}); retrain the model");
            }

            if (metadata.ReachFeatureSchemaHash != SiteReachFeatures.SchemaHash)
            {
                throw new HandoverModelException($"{name}: reach feature schema mismatch: the model was trained on {metadata.ReachFeatureSchemaHash} ({metadata.ReachFeatures?.Count ?? 0} features), this build extracts {SiteReachFeatures.SchemaHash} ({SiteReachFeatures.Count}); retrain the model");
            }

            if (!(metadata.HorizonSeconds > 0) || !(metadata.ReachHorizonSeconds > 0) || metadata.CandidateRanks != HandoverFeatures.CandidateRanks)
            {
                throw new HandoverModelException($"{name}: metadata.json is inconsistent (horizonSeconds {metadata.HorizonSeconds}, reachHorizonSeconds {metadata.ReachHorizonSeconds}, candidateRanks {metadata.CandidateRanks})");
            }

            var ml = new MLContext(metadata.Seed);
            var timing = ReadTransformer(ml, archive, TimingEntry, name);
            var nextSite = ReadTransformer(ml, archive, NextSiteEntry, name);
            var reach = ReadTransformer(ml, archive, ReachEntry, name);
            var breach = ReadTransformer(ml, archive, BreachEntry, name);
            var model = new HandoverModel(ml, timing, nextSite, reach, breach, metadata);
            model.CheckRuns(name);
            return model;
        }
    }

    /// <summary>Scores the model on labelled examples (e.g. from a mobility source it was not trained on).</summary>
    public HandoverEvaluation Evaluate(HandoverDataset dataset, double withinSeconds = 40)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var data = _ml.Data.LoadFromEnumerable(HandoverEvaluation.Rows(dataset.Handovers, (float)HorizonSeconds));
        var reach = _ml.Data.LoadFromEnumerable(HandoverEvaluation.ReachRows(dataset.Reach, (float)ReachHorizonSeconds));
        var breach = _ml.Data.LoadFromEnumerable(HandoverEvaluation.BreachRows(dataset.Reach, (float)ReachHorizonSeconds));
        return HandoverEvaluation.Compute(_ml, _timing, _nextSite, data, HorizonSeconds, withinSeconds, new SiteReachParts(_reach, reach, _breach, breach, ReachHorizonSeconds));
    }

    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>()).Schema;
        Write(archive, MetadataEntry, s => JsonSerializer.Serialize(s, Metadata, HandoverModelJson.Default.HandoverModelMetadata));
        Write(archive, TimingEntry, s => _ml.Model.Save(_timing, schema, s));
        Write(archive, NextSiteEntry, s => _ml.Model.Save(_nextSite, schema, s));
        var reachSchema = _ml.Data.LoadFromEnumerable(Array.Empty<ReachInput>()).Schema;
        Write(archive, ReachEntry, s => _ml.Model.Save(_reach, reachSchema, s));
        Write(archive, BreachEntry, s => _ml.Model.Save(_breach, reachSchema, s));
    }

    public HandoverPrediction Predict(HandoverFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var engines = _pool.Get();
        try
        {
            features.CopyTo(engines.Input.Features);
            engines.Timing.Predict(engines.Input, ref engines.TimingResult);
            engines.NextSite.Predict(engines.Input, ref engines.NextSiteResult);
            return Interpret(features, engines.TimingResult.Score, engines.NextSiteResult.Score, HorizonSeconds);
        }
        finally
        {
            _pool.Return(engines);
        }
    }

    /// <summary>
    /// Seconds until the site described by <paramref name="siteFeatures"/> (<see cref="DeviceFeatureWindow.DescribeSite"/>)
    /// would first break the SLA for the device, in [0, <see cref="ReachHorizonSeconds"/>].
    /// </summary>
    public double PredictReachSeconds(ReadOnlySpan<float> siteFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(siteFeatures.Length, SiteReachFeatures.Count, nameof(siteFeatures));
        var engines = _pool.Get();
        try
        {
            siteFeatures[..SiteReachFeatures.Count].CopyTo(engines.ReachInput.Features);
            engines.Reach.Predict(engines.ReachInput, ref engines.ReachResult);
            var seconds = engines.ReachResult.Score;
            return Math.Clamp(float.IsFinite(seconds) ? seconds : 0, 0, ReachHorizonSeconds);
        }
        finally
        {
            _pool.Return(engines);
        }
    }

    /// <summary>
    /// Probability that the site described by <paramref name="siteFeatures"/> breaks the SLA for the device within
    /// <paramref name="withinSeconds"/> (the breach classifier; calibrated, in [0, 1]).
    /// </summary>
    public double PredictBreachProbability(ReadOnlySpan<float> siteFeatures, double withinSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(siteFeatures.Length, SiteReachFeatures.Count, nameof(siteFeatures));
        var engines = _pool.Get();
        try
        {
            siteFeatures[..SiteReachFeatures.Count].CopyTo(engines.ReachInput.Features);
            engines.ReachInput.Features[SiteReachFeatures.WithinSeconds] = (float)withinSeconds;
            engines.Breach.Predict(engines.ReachInput, ref engines.BreachResult);
            var p = engines.BreachResult.Probability;
            return float.IsFinite(p) ? Math.Clamp(p, 0, 1) : 1;
        }
        finally
        {
            _pool.Return(engines);
        }
    }

    /// <summary>Maps the classifier's rank probabilities to a site: only ranks that are present count, renormalised.</summary>
    internal static HandoverPrediction Interpret(HandoverFeatures features, float seconds, ReadOnlySpan<float> probabilities, double horizon)
    {
        var best = -1;
        var bestProbability = -1f;
        var total = 0f;
        for (var rank = 0; rank < Math.Min(probabilities.Length, HandoverFeatures.CandidateRanks); rank++)
        {
            if (features.CandidateSites[rank] < 0)
            {
                continue;
            }

            var p = float.IsFinite(probabilities[rank]) ? Math.Max(0, probabilities[rank]) : 0;
            total += p;
            if (p > bestProbability)
            {
                best = rank;
                bestProbability = p;
            }
        }

        var time = Math.Clamp(float.IsFinite(seconds) ? seconds : horizon, 0, horizon);
        return best < 0
            ? new HandoverPrediction(time, -1, 0)
            : new HandoverPrediction(time, features.CandidateSites[best], total > 0 ? Math.Clamp(bestProbability / total, 0, 1) : 0);
    }

    public void Dispose() => (_pool as IDisposable)?.Dispose();

    private void CheckRuns(string name)
    {
        // A model whose transformers do not accept the feature vector fails here, not on the first telemetry message.
        try
        {
            var probe = new HandoverFeatures();
            for (var rank = 0; rank < HandoverFeatures.CandidateRanks; rank++)
            {
                probe.SetEmptyCandidate(rank);
            }

            Predict(probe);
            PredictReachSeconds(new float[SiteReachFeatures.Count]);
            PredictBreachProbability(new float[SiteReachFeatures.Count], 30);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            Dispose();
            throw new HandoverModelException($"{name}: the models do not accept this build's feature vector: {e.Message}", e);
        }
    }

    private static HandoverModelMetadata ReadMetadata(ZipArchive archive, string name)
    {
        var entry = archive.GetEntry(MetadataEntry) ?? throw new HandoverModelException($"{name}: not a handover model: entry '{MetadataEntry}' is missing");
        try
        {
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            // The version first: an older file lacks newer required fields, and "retrain" is the useful answer.
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("formatVersion", out var version)
                && version.TryGetInt32(out var formatVersion)
                && formatVersion != FormatVersion)
            {
                throw new HandoverModelException($"{name}: model format version {formatVersion} is not supported; this build reads version {FormatVersion} (retrain with the matching simulator)");
            }

            return document.Deserialize(HandoverModelJson.Default.HandoverModelMetadata)
                ?? throw new HandoverModelException($"{name}: {MetadataEntry} is empty");
        }
        catch (JsonException e)
        {
            throw new HandoverModelException($"{name}: {MetadataEntry} is not valid: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new HandoverModelException($"{name}: {MetadataEntry} is damaged: {e.Message}", e);
        }
    }

    private static ITransformer ReadTransformer(MLContext ml, ZipArchive archive, string entryName, string name)
    {
        var entry = archive.GetEntry(entryName) ?? throw new HandoverModelException($"{name}: not a handover model: entry '{entryName}' is missing");
        try
        {
            // ML.NET needs a seekable stream.
            using var buffer = new MemoryStream();
            using (var source = entry.Open())
            {
                source.CopyTo(buffer);
            }

            buffer.Position = 0;
            return ml.Model.Load(buffer, out _);
        }
        catch (Exception e) when (e is not HandoverModelException and not OutOfMemoryException)
        {
            throw new HandoverModelException($"{name}: entry '{entryName}' is not a valid ML.NET model: {e.Message}", e);
        }
    }

    private static void Write(ZipArchive archive, string entryName, Action<Stream> write)
    {
        var entry = archive.CreateEntry(entryName, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        // ML.NET's writer seeks; buffer, then copy into the entry.
        using var buffer = new MemoryStream();
        write(buffer);
        buffer.Position = 0;
        using var target = entry.Open();
        buffer.CopyTo(target);
    }

    /// <summary>One thread's prediction engines with their reused input and outputs.</summary>
    private sealed class Engines(
        PredictionEngine<ModelInput, TimingOutput> timing,
        PredictionEngine<ModelInput, NextSiteOutput> nextSite,
        PredictionEngine<ReachInput, TimingOutput> reach,
        PredictionEngine<ReachInput, BreachOutput> breach) : IDisposable
    {
        public PredictionEngine<ReachInput, BreachOutput> Breach { get; } = breach;

        public BreachOutput BreachResult = new();

        public PredictionEngine<ReachInput, TimingOutput> Reach { get; } = reach;

        public ReachInput ReachInput { get; } = new();

        public TimingOutput ReachResult = new();

        public PredictionEngine<ModelInput, TimingOutput> Timing { get; } = timing;

        public PredictionEngine<ModelInput, NextSiteOutput> NextSite { get; } = nextSite;

        public ModelInput Input { get; } = new();

        // Fields, not properties: PredictionEngine.Predict fills them by ref.
        public TimingOutput TimingResult = new();

        public NextSiteOutput NextSiteResult = new();

        public void Dispose()
        {
            Timing.Dispose();
            NextSite.Dispose();
            Reach.Dispose();
            Breach.Dispose();
        }
    }

    private sealed class EnginePolicy(HandoverModel model) : PooledObjectPolicy<Engines>
    {
        private readonly Lock _create = new();

        public override Engines Create()
        {
            // MLContext is not documented as thread-safe for building engines; creation is rare (pool misses only).
            lock (_create)
            {
                return new Engines(
                    model._ml.Model.CreatePredictionEngine<ModelInput, TimingOutput>(model._timing),
                    model._ml.Model.CreatePredictionEngine<ModelInput, NextSiteOutput>(model._nextSite),
                    model._ml.Model.CreatePredictionEngine<ReachInput, TimingOutput>(model._reach),
                    model._ml.Model.CreatePredictionEngine<ReachInput, BreachOutput>(model._breach));
            }
        }

        public override bool Return(Engines obj) => true;
    }
}
