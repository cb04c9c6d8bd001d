using System.IO.Compression;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>The text files of a GTFS feed, from a zip archive or a folder.</summary>
public sealed class GtfsFeedFiles : IDisposable
{
    private readonly ZipArchive? _zip;
    private readonly string? _folder;

    public GtfsFeedFiles(string path)
    {
        Path = path;
        if (Directory.Exists(path))
        {
            _folder = path;
        }
        else if (File.Exists(path))
        {
            try
            {
                _zip = ZipFile.OpenRead(path);
            }
            catch (InvalidDataException e)
            {
                throw new MobilityInputException(path, null, null, $"not a zip archive or folder ({e.Message})");
            }
        }
        else
        {
            throw new MobilityInputException(path, null, null, "no such GTFS zip or folder");
        }
    }

    public string Path { get; }

    public bool Has(string name) => _folder is not null ? File.Exists(System.IO.Path.Combine(_folder, name)) : Entry(name) is not null;

    public CsvTable Open(string name)
    {
        if (_folder is not null)
        {
            var file = System.IO.Path.Combine(_folder, name);
            return File.Exists(file)
                ? new CsvTable(new StreamReader(file), name)
                : throw new MobilityInputException(name, null, null, $"required file is missing from {Path}");
        }

        var entry = Entry(name) ?? throw new MobilityInputException(name, null, null, $"required file is missing from {Path}");
        return new CsvTable(new StreamReader(entry.Open()), name);
    }

    public void Dispose() => _zip?.Dispose();

    // Some producers zip the feed inside a folder; accept the file at any depth.
    private ZipArchiveEntry? Entry(string name) =>
        _zip!.GetEntry(name) ?? _zip.Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
}
