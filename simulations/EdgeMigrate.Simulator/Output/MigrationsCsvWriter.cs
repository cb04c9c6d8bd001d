using System.Globalization;
using CsvHelper;
using EdgeMigrate.Simulation.Engine;

namespace EdgeMigrate.Simulator.Output;

/// <summary>migrations.csv: one row per migration started, all policies.</summary>
internal static class MigrationsCsvWriter
{
    public static void Write(string path, IEnumerable<MigrationRecord> migrations)
    {
        using var writer = new StreamWriter(path);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        string[] header = ["policy", "device", "startSeconds", "endSeconds", "fromSite", "toSite", "bytes", "downtimeSeconds", "rounds", "mode", "converged", "pingPong", "leadTimeSeconds"];
        foreach (var field in header)
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
        foreach (var m in migrations)
        {
            csv.WriteField(m.Policy);
            csv.WriteField(m.DeviceId);
            csv.WriteField(Math.Round(m.StartSeconds, 3));
            csv.WriteField(Math.Round(m.EndSeconds, 3));
            csv.WriteField(m.FromSite);
            csv.WriteField(m.ToSite);
            csv.WriteField((long)Math.Round(m.BytesTransferred));
            csv.WriteField(Math.Round(m.DowntimeSeconds, 4));
            csv.WriteField(m.Rounds);
            csv.WriteField(m.Mode switch { Models.MigrationMode.PreCopy => "pre-copy", Models.MigrationMode.StopAndCopy => "stop-and-copy", _ => "post-copy" });
            csv.WriteField(m.Converged);
            csv.WriteField(m.PingPong);
            csv.WriteField(m.LeadTimeSeconds is { } lead ? Math.Round(lead, 3).ToString(CultureInfo.InvariantCulture) : string.Empty);
            csv.NextRecord();
        }
    }
}
