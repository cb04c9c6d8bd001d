using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>
/// The handover model the silo predicts with: loaded at start (<c>--model</c>) and swappable at run time
/// (<c>PUT /api/model</c>). A file that does not load leaves the current model in place.
/// </summary>
public sealed partial class HandoverModelHolder(TimeProvider timeProvider, ILogger<HandoverModelHolder> logger)
{
    private LoadedHandoverModel? _current;

    public LoadedHandoverModel? Current => Volatile.Read(ref _current);

    /// <summary>Loads and swaps in a model; throws <see cref="HandoverModelException"/> (and keeps the current one) when it does not load.</summary>
    public LoadedHandoverModel Load(Stream stream, string source)
    {
        HandoverModel model;
        try
        {
            model = HandoverModel.Load(stream, source);
        }
        catch (HandoverModelException ex)
        {
            LogRejected(logger, source, ex.Message, Current?.Model.Version ?? "none");
            throw;
        }

        var loaded = new LoadedHandoverModel(model, source, timeProvider.GetUtcNow());
        // The previous model is not disposed: decisions in flight may still be predicting with it.
        Volatile.Write(ref _current, loaded);
        LogLoaded(logger, model.Version, source);
        return loaded;
    }

    public LoadedHandoverModel Load(string path)
    {
        using var stream = OpenModelFile(path);
        return Load(stream, path);
    }

    private static FileStream OpenModelFile(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HandoverModelException($"{path}: cannot read the model file ({ex.Message})", ex);
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Handover model {Version} loaded from {Source}")]
    private static partial void LogLoaded(ILogger logger, string version, string source);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Handover model from {Source} refused: {Reason}; keeping model {Current}")]
    private static partial void LogRejected(ILogger logger, string source, string reason, string current);
}
