using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>
/// The target side: registers a receiver session for this migration and token, unpacks the bundle when it
/// arrives, restores the final image set with <c>runc restore -d</c>, and reports "restored" with the downtime.
/// An abort discards everything received (and the restored copy, if the silo abandons the migration).
/// </summary>
public sealed partial class ContainerTargetMigration : TargetMigrationLifecycle
{
    private readonly ContainerEngine _containers;
    private readonly ILogger _logger;

    public ContainerTargetMigration(MigrationContext context, ContainerEngine containers, NodeCommandMessage command)
        : base(context, command)
    {
        _containers = containers;
        _logger = context.Loggers.CreateLogger<ContainerTargetMigration>();
    }

    protected override bool HasBundle(ReceiverSession session) => _containers.HasBundle(session.ServiceId);

    protected override async Task RoundCompletedAsync(ReceiverSession session, RoundManifest manifest, CancellationToken ct)
    {
        if (manifest.Kind != TransferRound.BundleKind)
        {
            return;
        }

        var bundle = _containers.BundleOf(session.ServiceId);
        await BundleArchive.UnpackAsync(session.BundleFile, bundle, ct);
        await BundleArchive.SetCgroupsPathAsync(bundle, _containers.CgroupsPathOf(session.ServiceId), ct);
        File.Delete(session.BundleFile);
        LogBundle(_logger, MigrationId, bundle);
    }

    protected override async Task<double> RestoreAsync(ReceiverSession session, CancellationToken ct)
    {
        var started = Context.Time.GetTimestamp();
        if (!_containers.HasBundle(session.ServiceId))
        {
            throw new InvalidOperationException($"no bundle for {session.ServiceId} on this node");
        }

        if (await _containers.StatusAsync(session.ServiceId, ct) is { } stale)
        {
            throw new InvalidOperationException($"a container for {session.ServiceId} already exists here ({stale})");
        }

        await _containers.RestoreAsync(session.ServiceId, session.ImagesDirectory, Path.Combine(session.Directory, "work-restore"), ct);
        Restored = true;
        return Context.Time.GetElapsedTime(started).TotalMilliseconds;
    }

    protected override async Task<bool> RemoveRestoredAsync()
    {
        if (await _containers.StatusAsync(Session.ServiceId, CancellationToken.None) is null)
        {
            return false;
        }

        await _containers.RemoveAsync(Session.ServiceId, CancellationToken.None);
        return true;
    }

    protected override void LogDiscarded(string reason) => LogDiscarded(_logger, MigrationId, reason);

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Migration {MigrationId}: bundle unpacked into {Bundle}")]
    private static partial void LogBundle(ILogger logger, string migrationId, string bundle);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Migration {MigrationId} (target): discarded: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string migrationId, string reason);
}
