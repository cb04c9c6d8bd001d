using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>
/// One trip's vehicle: its shape and, per stop, when it arrives and leaves (simulation seconds) and how far
/// along the shape the stop lies. Between stops the vehicle moves along the shape at constant speed.
/// </summary>
public sealed class GtfsTripPath(string tripId, string routeId, ShapePath shape, double[] arrivals, double[] departures, double[] stopMetres)
{
    public string TripId { get; } = tripId;

    public string RouteId { get; } = routeId;

    public ShapePath Shape { get; } = shape;

    public IReadOnlyList<double> Arrivals => arrivals;

    public IReadOnlyList<double> Departures => departures;

    public IReadOnlyList<double> StopMetres => stopMetres;

    public double StartSeconds => arrivals[0];

    public double EndSeconds => arrivals[^1];

    /// <summary>Metres along the shape at a time, or null when the trip is not running.</summary>
    /// <param name="timeSeconds">Simulation time.</param>
    /// <param name="hint">Stop index to start searching from; updated, so sequential queries are O(1).</param>
    public double? MetresAt(double timeSeconds, ref int hint)
    {
        if (timeSeconds < arrivals[0] || timeSeconds > arrivals[^1])
        {
            return null;
        }

        if (hint < 0 || hint >= arrivals.Length || arrivals[hint] > timeSeconds)
        {
            hint = 0;
        }

        while (hint + 1 < arrivals.Length && arrivals[hint + 1] <= timeSeconds)
        {
            hint++;
        }

        var i = hint;
        if (timeSeconds <= departures[i] || i + 1 >= arrivals.Length)
        {
            return stopMetres[i];
        }

        var span = arrivals[i + 1] - departures[i];
        var f = span > 0 ? (timeSeconds - departures[i]) / span : 1;
        return stopMetres[i] + f * (stopMetres[i + 1] - stopMetres[i]);
    }

    public PlanarPoint? PositionAt(double timeSeconds)
    {
        var hint = 0;
        var metres = MetresAt(timeSeconds, ref hint);
        return metres is null ? null : Shape.PointAt(metres.Value);
    }
}
