namespace EdgeMigrate.Simulation.Mobility;

/// <summary>Broken input, located: which file, which line (1-based, header is line 1), which field.</summary>
public sealed class MobilityInputException : Exception
{
    public MobilityInputException(string file, long? line, string? field, string problem)
        : base(Describe(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public MobilityInputException()
    {
        File = string.Empty;
        Problem = string.Empty;
    }

    public MobilityInputException(string message)
        : base(message)
    {
        File = string.Empty;
        Problem = message;
    }

    public MobilityInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Problem = message;
    }

    public string File { get; }

    public long? Line { get; }

    public string? Field { get; }

    public string Problem { get; }

    private static string Describe(string file, long? line, string? field, string problem)
    {
        var where = line is null ? file : $"{file} line {line}";
        return field is null ? $"{where}: {problem}" : $"{where}, field '{field}': {problem}";
    }
}
