using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility;

/// <summary>
/// Where every device is over time. The engine calls <c>MoveTo</c> with non-decreasing times per device, so
/// synthetic models may keep per-device state and advance it; feed-based models may answer any time. Devices are
/// independent: disjoint device ranges may be moved on different threads (after <see cref="Reset"/>).
/// </summary>
public interface IMobilityModel
{
    int DeviceCount { get; }

    LocalProjection Projection { get; }

    /// <summary>Where devices may be; sites laid out as a grid cover this.</summary>
    PlanarBounds Bounds { get; }

    string DeviceId(int device);

    /// <summary>Back to time 0 with the same randomness, so a second run replays the first exactly.</summary>
    void Reset();

    /// <summary>Fills each device's position at <paramref name="timeSeconds"/>; inactive devices (trip not running) get false.</summary>
    void MoveTo(double timeSeconds, Span<PlanarPoint> positions, Span<bool> active) => MoveTo(timeSeconds, 0, DeviceCount, positions, active);

    /// <summary>
    /// As <see cref="MoveTo(double, Span{PlanarPoint}, Span{bool})"/> for devices <paramref name="first"/> to
    /// <paramref name="first"/> + <paramref name="count"/> − 1 only; the spans are indexed by device, as for all devices.
    /// </summary>
    void MoveTo(double timeSeconds, int first, int count, Span<PlanarPoint> positions, Span<bool> active);
}
