namespace EdgeMigrate.EdgeAgent.Engines.Criu;

/// <summary>
/// The line of a CRIU dump.log / restore.log that says why it failed. CRIU logs every failure as
/// <c>Error (file:line): …</c>, and a failure cascades: the cause comes first, then wrappers such as
/// <c>Dump files (pid: N) failed</c> or <c>Dumping FAILED</c>. The first Error line of a dump in an unprivileged
/// sandbox is a harmless <c>rlimit: Can't setup RLIMIT_NOFILE</c> that CRIU continues after, so it is skipped.
/// </summary>
public static class CriuLog
{
    private static readonly string[] Harmless = ["RLIMIT_NOFILE"];
    private static readonly string[] Wrappers = ["Dump files (pid:", "Dumping FAILED", "Restoring FAILED", "Failed to restore", "Failed to dump"];

    /// <summary>The cause line from a log's text; null when it has no Error line.</summary>
    public static string? CauseOf(string logText)
    {
        ArgumentNullException.ThrowIfNull(logText);
        var errors = logText.Split('\n')
            .Select(l => l.Trim())
            .Select(l => l.IndexOf("Error (", StringComparison.Ordinal) is var at and >= 0 ? l[at..] : null)
            .OfType<string>()
            .Where(l => !Harmless.Any(h => l.Contains(h, StringComparison.Ordinal)))
            .ToList();
        return errors.FirstOrDefault(l => !Wrappers.Any(w => l.Contains(w, StringComparison.Ordinal))) ?? errors.FirstOrDefault();
    }

    /// <summary>The cause line of the log file at <paramref name="path"/>; null when the file is missing or has no Error line.</summary>
    public static string? CauseIn(string path)
    {
        try
        {
            return File.Exists(path) ? CauseOf(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
