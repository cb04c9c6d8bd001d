using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>
/// A trained, versioned handover model: one zip holding the timing regression, the next-site classifier (both
/// ML.NET models) and metadata.json (format version, feature schema hash, horizon, seed, training summary).
/// <see cref="Predict"/> is thread-safe: ML.NET prediction engines are not, so each call borrows a pair from a pool.
/// </summary>
public sealed class HandoverModel : IHandoverPredictor, IDisposable
{
    public const int FormatVersion = 1;
    internal const string MetadataEntry = "metadata.json";
    internal const string TimingEntry = "timing.mlnet";
    internal const string NextSiteEntry = "next-site.mlnet";

    /// <summary>Zip entries get a fixed time so the same model writes the same bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly MLContext _ml;
    private readonly ITransformer _timing;
    private readonly ITransformer _nextSite;
    private readonly ObjectPool<Engines> _pool;

    internal HandoverModel(MLContext ml, ITransformer timing, ITransformer nextSite, HandoverModelMetadata metadata)
    {
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

            if (!(metadata.HorizonSeconds > 0) || metadata.CandidateRanks != HandoverFeatures.CandidateRanks)
            {
                throw new HandoverModelException($"{name}: metadata.json is inconsistent (horizonSeconds {metadata.HorizonSeconds}, candidateRanks {metadata.CandidateRanks})");
            }

            var ml = new MLContext(metadata.Seed);
            var timing = ReadTransformer(ml, archive, TimingEntry, name);
            var nextSite = ReadTransformer(ml, archive, NextSiteEntry, name);
            var model = new HandoverModel(ml, timing, nextSite, metadata);
            model.CheckRuns(name);
            return model;
        }
    }

    /// <summary>Scores the model on labelled examples (e.g. from a mobility source it was not trained on).</summary>
    public HandoverEvaluation Evaluate(IReadOnlyList<HandoverExample> examples, double withinSeconds = 40)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var data = _ml.Data.LoadFromEnumerable(HandoverEvaluation.Rows(examples, (float)HorizonSeconds));
        return HandoverEvaluation.Compute(_ml, _timing, _nextSite, data, HorizonSeconds, withinSeconds);
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
            return JsonSerializer.Deserialize(stream, HandoverModelJson.Default.HandoverModelMetadata)
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
    private sealed class Engines(PredictionEngine<ModelInput, TimingOutput> timing, PredictionEngine<ModelInput, NextSiteOutput> nextSite) : IDisposable
    {
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
                    model._ml.Model.CreatePredictionEngine<ModelInput, NextSiteOutput>(model._nextSite));
            }
        }

        public override bool Return(Engines obj) => true;
    }
}
