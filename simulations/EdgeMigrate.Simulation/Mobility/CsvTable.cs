using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace EdgeMigrate.Simulation.Mobility;

/// <summary>
/// Reads a headed CSV file by column name, and turns every problem into a <see cref="MobilityInputException"/>
/// that names the file, the line and the field, because "input string was not in a correct format" helps nobody
/// holding a 100 000-line stop_times.txt.
/// </summary>
public sealed class CsvTable : IDisposable
{
    private readonly CsvReader _csv;
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public CsvTable(TextReader reader, string fileName)
    {
        FileName = fileName;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        };
        _csv = new CsvReader(reader, configuration);
        if (!_csv.Read())
        {
            throw new MobilityInputException(fileName, 1, null, "file is empty; a header line is required");
        }

        _csv.ReadHeader();
        var header = _csv.HeaderRecord ?? [];
        for (var i = 0; i < header.Length; i++)
        {
            // GTFS producers sometimes leave a byte-order mark or spaces in names.
            _columns.TryAdd(header[i].Trim().TrimStart('\uFEFF'), i);
        }
    }

    public string FileName { get; }

    /// <summary>1-based line of the current record (the header is line 1).</summary>
    public long Line => _csv.Parser.RawRow;

    public int Column(string name) =>
        _columns.TryGetValue(name, out var index)
            ? index
            : throw new MobilityInputException(FileName, 1, name, $"required column is missing (header has: {string.Join(", ", _columns.Keys)})");

    /// <summary>Index of an optional column, or -1.</summary>
    public int OptionalColumn(string name) => _columns.TryGetValue(name, out var index) ? index : -1;

    public bool Read() => _csv.Read();

    public string? OptionalText(int column)
    {
        if (column < 0 || column >= _csv.Parser.Count)
        {
            return null;
        }

        var value = _csv.GetField(column);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string Text(int column, string name) =>
        OptionalText(column) ?? throw Error(name, "value is missing");

    public double Double(int column, string name)
    {
        var text = Text(column, name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(name, $"'{text}' is not a number");
    }

    public double? OptionalDouble(int column, string name)
    {
        var text = OptionalText(column);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(name, $"'{text}' is not a number");
    }

    public int Integer(int column, string name)
    {
        var text = Text(column, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(name, $"'{text}' is not an integer");
    }

    public MobilityInputException Error(string field, string problem) => new(FileName, Line, field, problem);

    public void Dispose() => _csv.Dispose();
}
