using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace EdgeMigrate.Silo.Persistence;

/// <summary>
/// The embedded store: grain state in one SQLite file in the data dir (WAL mode), so a single silo keeps
/// nodes, services, migrations, policies and devices across restarts with nothing else to install.
/// Optimistic concurrency through a per-row version used as the ETag. State is encoded with Orleans' own
/// version-tolerant serializer (the [Id]s of the state types), not with type names.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly IGrainStorageSerializer _serializer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SqliteGrainStorage(string path, IGrainStorageSerializer serializer, ILogger<SqliteGrainStorage> logger)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _serializer = serializer;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                version    INTEGER NOT NULL,
                payload    BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            """);
        LogOpened(logger, path);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _gate.WaitAsync();
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT version, payload FROM grain_state WHERE state_name = $s AND grain_id = $g";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                grainState.ETag = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
                grainState.State = _serializer.Deserialize<T>(new BinaryData((byte[])reader[1]));
                grainState.RecordExists = true;
            }
            else
            {
                grainState.ETag = null;
                grainState.State = Activator.CreateInstance<T>();
                grainState.RecordExists = false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        await _gate.WaitAsync();
        try
        {
            var expected = grainState.ETag is null ? 0 : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
            using var command = _connection.CreateCommand();
            command.CommandText = expected == 0
                ? "INSERT INTO grain_state (state_name, grain_id, version, payload) VALUES ($s, $g, 1, $p) ON CONFLICT DO NOTHING"
                : "UPDATE grain_state SET version = version + 1, payload = $p WHERE state_name = $s AND grain_id = $g AND version = $v";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            command.Parameters.AddWithValue("$p", payload);
            command.Parameters.AddWithValue("$v", expected);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InconsistentStateException($"{stateName} of {grainId} changed underneath this activation (expected version {expected})", grainState.ETag, "unknown");
            }

            grainState.ETag = (expected + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _gate.WaitAsync();
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            command.ExecuteNonQuery();
            grainState.ETag = null;
            grainState.State = Activator.CreateInstance<T>();
            grainState.RecordExists = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Embedded grain store at {Path}")]
    private static partial void LogOpened(ILogger logger, string path);
}
