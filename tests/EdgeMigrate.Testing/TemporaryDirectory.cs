namespace EdgeMigrate.Testing;

/// <summary>A scratch folder of one test, deleted afterwards (a file still held open leaves it for the OS to clean).</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("edgemigrate-test-").FullName;

    /// <summary>The path of <paramref name="name"/> inside the folder (not created).</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a small input file and returns its path.</summary>
    public string Write(string name, string content)
    {
        var file = Sub(name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still in use (a workload's data file): the OS temp clean-up takes it.
        }
    }
}
