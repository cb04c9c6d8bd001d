using System.Globalization;
using System.Net;
using System.Text;
using EdgeMigrate.Simulation.Engine;

namespace EdgeMigrate.Simulator.Output;

/// <summary>report.html: one self-contained file (plots embedded as base64) that can be mailed or attached to an issue.</summary>
internal static class HtmlReportWriter
{
    public static void Write(string path, SimulationSummary summary, string directory, IReadOnlyList<string> plots)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>EdgeMigrate simulation report</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}")
            .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("th{background:#f0f0f0}img{max-width:100%;border:1px solid #eee;margin:8px 0}</style></head><body>\n")
            .Append("<h1>EdgeMigrate simulation report</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(summary.Mobility))
            .Append(c, $"; {summary.Devices} devices, {summary.Sites} sites, {summary.SimulatedSeconds:0} simulated s at {summary.StepSeconds:0.###} s steps, seed {summary.Seed}; ")
            .Append(c, $"{summary.Events:N0} events in {summary.WallSeconds:0.###} s wall time. SLA: {summary.SlaLatencyMs:0.#} ms.</p>\n")
            .Append(c, $"<p>One migration (cost model): {summary.MigrationEstimate.Mode}, {summary.MigrationEstimate.Rounds} rounds, {summary.MigrationEstimate.TotalSeconds:0.##} s total, ")
            .Append(c, $"{summary.MigrationEstimate.DowntimeSeconds * 1000:0} ms downtime, {summary.MigrationEstimate.Bytes / 1048576.0:0.#} MiB sent.</p>\n")
            .Append("<table><tr><th>policy</th><th>migrations</th><th>ping-pongs</th><th>SLA violation (device-s)</th><th>share</th><th>downtime (s)</th>")
            .Append("<th>MiB moved</th><th>mean latency (ms)</th><th>p95 latency (ms)</th><th>median lead (s)</th><th>late</th><th>gap closed</th></tr>\n");
        foreach (var (name, m) in summary.Policies)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td>")
                .Append(c, $"<td>{m.Migrations}</td><td>{m.PingPongs}</td><td>{m.SlaViolationSeconds:0.0}</td><td>{m.SlaViolationShare:P2}</td><td>{m.DowntimeSeconds:0.00}</td>")
                .Append(c, $"<td>{m.BytesTransferred / 1048576.0:0}</td><td>{m.MeanLatencyMs:0.00}</td><td>{m.P95LatencyMs:0.0}</td>")
                .Append(c, $"<td>{(m.MedianLeadTimeSeconds is { } lead ? lead.ToString("0.0", c) : "–")}</td><td>{m.LateMigrations}</td><td>{(m.GapClosed is { } gap ? gap < -1 ? "&lt; −100%" : gap.ToString("0%", c) : "–")}</td></tr>\n");
        }

        html.Append("</table>\n");
        html.Append("<p>Gap closed: share of the SLA-violation gap between <code>reactive</code> and <code>optimum</code> (the offline optimum of this run) that a policy closes.</p>\n");
        if (summary.Optimum is { } o)
        {
            html.Append(c, $"<p>Optimum: {o.ViolationSeconds:0.0} SLA-violation s, {o.Migrations} migrations, {o.MeanCandidateSites:0.0} candidate sites per device, {(o.Exact ? "exact" : "not exact (site capacities or per-pair costs)")}, searched in {o.SolveSeconds:0.###} s.</p>\n");
        }

        foreach (var plot in plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, plot));
            html.Append("<h2>").Append(WebUtility.HtmlEncode(plot)).Append("</h2>\n<img alt=\"").Append(WebUtility.HtmlEncode(plot))
                .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(bytes)).Append("\">\n");
        }

        html.Append("<p>Metric definitions: docs/simulator.md.</p>\n</body></html>\n");
        File.WriteAllText(path, html.ToString());
    }
}
