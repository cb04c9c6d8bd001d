namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// Files the workload wrote under its preopened <c>/data</c> directory: captured at the final step (the
/// workload is frozen, and the contract says it keeps no file open across calls) and written back on the
/// target before it serves.
/// </summary>
internal static class DataDirectoryState
{
    public static List<WasmFileEntry> Capture(string directory)
    {
        var entries = new List<WasmFileEntry>();
        if (!Directory.Exists(directory))
        {
            return entries;
        }

        var root = new DirectoryInfo(directory);
        foreach (var info in root.EnumerateFileSystemInfos("*", new EnumerationOptions
                 {
                     RecurseSubdirectories = true,
                     AttributesToSkip = 0,
                     ReturnSpecialDirectories = false,
                 }).OrderBy(i => i.FullName, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root.FullName, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (info.LinkTarget is not null)
            {
                throw new WasmMigrationRefusedException($"/data/{relative} is a symbolic link; only regular files and directories can move");
            }

            entries.Add(info switch
            {
                DirectoryInfo => new WasmFileEntry(relative, true, ReadOnlyMemory<byte>.Empty),
                FileInfo file => new WasmFileEntry(relative, false, File.ReadAllBytes(file.FullName)),
                _ => throw new WasmMigrationRefusedException($"/data/{relative} is not a regular file"),
            });
        }

        return entries;
    }

    /// <summary>Empties the directory and recreates the captured entries.</summary>
    public static void Restore(string directory, IReadOnlyList<WasmFileEntry> entries)
    {
        var root = Path.GetFullPath(directory);
        if (Directory.Exists(root))
        {
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo dir)
                {
                    dir.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        Directory.CreateDirectory(root);
        foreach (var entry in entries)
        {
            var path = Path.GetFullPath(Path.Combine(root, entry.Path));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"snapshot file path {entry.Path} escapes the data directory");
            }

            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, entry.Content.Span);
            }
        }
    }
}
