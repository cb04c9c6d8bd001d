using EdgeMigrate.Decision.Policies;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>
/// One device's recent telemetry, held by the caller (a simulator array slot, a silo grain) and fed one
/// <see cref="DeviceObservation"/> at a time; the only place <see cref="HandoverFeatures"/> are built, so simulated
/// and live telemetry go through the same code and give the same floats. Not thread-safe: one device, one caller.
/// </summary>
public sealed class DeviceFeatureWindow
{
    /// <summary>Observations needed before features are produced.</summary>
    public const int MinimumHistory = 6;

    /// <summary>Sites kept per observation; more are ignored (lowest latency kept).</summary>
    public const int MaxSitesPerObservation = 16;

    /// <summary>A gap longer than this (device offline, trip ended) restarts the history.</summary>
    public const double MaxGapSeconds = 30;

    private const double EarthRadiusMetres = 6_371_008.8;
    private const double DegreesToRadians = Math.PI / 180;

    /// <summary>Speed is measured over at least this long, so one noisy fix does not dominate.</summary>
    private const double SpeedBaseSeconds = 3;

    private readonly Snapshot[] _ring;
    private int _start;
    private int _count;
    private double _originLat;
    private double _originLon;
    private double _metresPerDegreeLon;
    private int _lastHost = -1;
    private double _hostSince;
    private int _lastBest = -1;
    private double _bestSince;
    private double _firstSeen;

    public DeviceFeatureWindow(int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, MinimumHistory);
        _ring = new Snapshot[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _ring[i] = new Snapshot();
        }
    }

    public int Capacity => _ring.Length;

    /// <summary>Observations currently held.</summary>
    public int Count => _count;

    /// <summary>Seconds between the last two observations (0 with fewer than two).</summary>
    public double LastIntervalSeconds => _count >= 2 ? Latest.Time - At(_count - 2).Time : 0;

    /// <summary>Predictive policy memory: consecutive observations on which a move has been due.</summary>
    internal int PendingCount { get; set; }

    /// <summary>Forgets all history (e.g. a device that reconnects after a long time).</summary>
    public void Reset()
    {
        _start = 0;
        _count = 0;
        _lastHost = -1;
        _lastBest = -1;
        PendingCount = 0;
    }

    /// <summary>
    /// Feeds one observation; returns features once there is enough history (null before). An observation at the same
    /// time as the previous one replaces it; one from the past or after a long gap restarts the history.
    /// </summary>
    public HandoverFeatures? Observe(in DeviceObservation observation)
    {
        var t = observation.TimeSeconds;
        if (_count > 0)
        {
            var dt = t - Latest.Time;
            if (dt < 0 || dt > MaxGapSeconds || !double.IsFinite(dt))
            {
                Reset();
            }
            else if (dt == 0)
            {
                _count--; // same instant: the newer message wins
            }
        }

        if (_count == 0)
        {
            _originLat = observation.Position.Lat;
            _originLon = observation.Position.Lon;
            _metresPerDegreeLon = EarthRadiusMetres * DegreesToRadians * Math.Cos(_originLat * DegreesToRadians);
            _firstSeen = t;
        }

        var slot = _count < _ring.Length ? (_start + _count++) % _ring.Length : _start++ % _ring.Length;
        _start %= _ring.Length;
        var snapshot = _ring[slot];
        snapshot.Time = t;
        snapshot.X = (observation.Position.Lon - _originLon) * _metresPerDegreeLon;
        snapshot.Y = (observation.Position.Lat - _originLat) * EarthRadiusMetres * DegreesToRadians;
        snapshot.Fill(observation.Sites.Span);

        var host = observation.HostingSite;
        if (host != _lastHost)
        {
            // The first host seen counts from the first observation: nothing is known about earlier moves.
            _hostSince = _lastHost < 0 ? _firstSeen : t;
            _lastHost = host;
        }

        var best = snapshot.BestIndex >= 0 ? snapshot.Sites[snapshot.BestIndex].Site : -1;
        if (best != _lastBest)
        {
            _bestSince = _lastBest < 0 ? _firstSeen : t;
            _lastBest = best;
        }

        return _count >= MinimumHistory && best >= 0 ? Extract(snapshot, host, best) : null;
    }

    /// <summary>
    /// Writes the reach model's features (<see cref="SiteReachFeatures"/>) for <paramref name="site"/> as of the latest
    /// observation: <paramref name="features"/> must be what <see cref="Observe"/> just returned. False when the latest
    /// observation has no measurement of the site.
    /// </summary>
    public bool DescribeSite(HandoverFeatures features, int site, double slaMs, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SiteReachFeatures.Count, nameof(destination));
        if (_count == 0 || features.TimeSeconds != Latest.Time)
        {
            throw new ArgumentException("the features are not from this window's latest observation", nameof(features));
        }

        var now = Latest;
        var index = now.IndexOf(site);
        if (index < 0)
        {
            return false;
        }

        var measurement = now.Sites[index];
        var isBest = site == features.BestSite;
        var radial = Slope(site, distance: true);
        var speed = features.SpeedMps;
        destination[SiteReachFeatures.SpeedMps] = speed;
        destination[SiteReachFeatures.AccelerationMps2] = features.AccelerationMps2;
        destination[SiteReachFeatures.HeadingChangeDeg] = features.HeadingChangeDeg;
        destination[SiteReachFeatures.Straightness] = features.Straightness;
        destination[SiteReachFeatures.WindowSeconds] = features.WindowSeconds;
        destination[SiteReachFeatures.SlaMs] = (float)slaMs;
        destination[SiteReachFeatures.LatencyMs] = (float)measurement.LatencyMs;
        destination[SiteReachFeatures.SlaMarginMs] = (float)(slaMs - measurement.LatencyMs);
        destination[SiteReachFeatures.LatencySlope] = (float)Slope(site, distance: false);
        destination[SiteReachFeatures.DistanceM] = (float)measurement.DistanceMetres;
        destination[SiteReachFeatures.RadialMps] = (float)radial;
        destination[SiteReachFeatures.CosBearing] = speed > 0.5 ? (float)Math.Clamp(-radial / speed, -1, 1) : 0;
        destination[SiteReachFeatures.IsHost] = site == features.HostingSite ? 1 : 0;
        destination[SiteReachFeatures.IsBest] = isBest ? 1 : 0;
        destination[SiteReachFeatures.LatencyGapMs] = (float)(measurement.LatencyMs - features.BestLatencyMs);
        destination[SiteReachFeatures.DistanceGapM] = (float)(measurement.DistanceMetres - features.BestDistanceM);
        destination[SiteReachFeatures.CrossingSeconds] = isBest ? 0 : CrossingSeconds(features.BestDistanceM, features.BestRadialMps, measurement.DistanceMetres, radial);
        destination[SiteReachFeatures.BestDistanceM] = features.BestDistanceM;
        destination[SiteReachFeatures.BestRadialMps] = features.BestRadialMps;
        destination[SiteReachFeatures.BestDwellSeconds] = features.BestDwellSeconds;
        destination[SiteReachFeatures.BestLatencySlope] = features.BestLatencySlope;
        destination[SiteReachFeatures.WithinSeconds] = 0;
        return true;
    }

    private Snapshot Latest => _ring[(_start + _count - 1) % _ring.Length];

    private Snapshot At(int i) => _ring[(_start + i) % _ring.Length];

    private HandoverFeatures Extract(Snapshot now, int host, int best)
    {
        var t = now.Time;
        var first = At(0);
        var features = new HandoverFeatures { TimeSeconds = t, HostingSite = host, BestSite = best };

        // Motion: speed over the last few seconds, acceleration and heading change across the window.
        var speed = SpeedBetween(IndexBefore(t - SpeedBaseSeconds), _count - 1, out var headingNow);
        var half = _count / 2;
        var earlySpeed = SpeedBetween(0, Math.Max(1, half), out var headingEarly);
        var span = t - first.Time;
        var path = 0.0;
        for (var i = 1; i < _count; i++)
        {
            path += Distance(At(i - 1), At(i));
        }

        features.SpeedMps = (float)speed;
        features.AccelerationMps2 = span > 0 ? (float)((speed - earlySpeed) / span) : 0;
        features.HeadingChangeDeg = speed > 0.5 && earlySpeed > 0.5 ? (float)AngleBetweenDegrees(headingNow, headingEarly) : 0;
        features.Straightness = path > 1 ? (float)(Distance(first, now) / path) : 1;
        features.WindowSeconds = (float)span;

        var bestSite = now.Sites[now.BestIndex];
        var bestRadial = Slope(best, distance: true);
        features.BestLatencyMs = (float)bestSite.LatencyMs;
        features.BestLatencySlope = (float)Slope(best, distance: false);
        features.BestDistanceM = (float)bestSite.DistanceMetres;
        features.BestRadialMps = (float)bestRadial;
        features.BestDwellSeconds = Cap(t - _bestSince);

        var hostIndex = now.IndexOf(host);
        features.HostIsBest = host == best ? 1 : 0;
        if (hostIndex >= 0)
        {
            features.HostLatencyMs = (float)now.Sites[hostIndex].LatencyMs;
            features.HostLatencySlope = (float)Slope(host, distance: false);
            features.HostDistanceM = (float)now.Sites[hostIndex].DistanceMetres;
            features.HostRadialMps = (float)Slope(host, distance: true);
        }
        else
        {
            features.HostLatencyMs = 1000;
            features.HostDistanceM = 10_000;
        }

        features.SecondsSinceHostChange = Cap(t - _hostSince);

        // Candidates: every site but the best and the hosting one, by latency, then distance, then index. The host is
        // described by its own features; leaving it out of the classes keeps them the same whether or not the service
        // lags behind the device (when it does not, host and best are the same site).
        Span<int> order = stackalloc int[MaxSitesPerObservation];
        var candidates = 0;
        for (var i = 0; i < now.Count; i++)
        {
            if (i != now.BestIndex && now.Sites[i].Site != host)
            {
                order[candidates++] = i;
            }
        }

        Sort(order[..candidates], now.Sites);
        var ranks = Math.Min(candidates, HandoverFeatures.CandidateRanks);
        var nearestCrossing = HandoverFeatures.CapSeconds;
        for (var rank = 0; rank < HandoverFeatures.CandidateRanks; rank++)
        {
            if (rank >= ranks)
            {
                features.SetEmptyCandidate(rank);
                continue;
            }

            var site = now.Sites[order[rank]];
            var radial = Slope(site.Site, distance: true);
            var crossing = CrossingSeconds(bestSite.DistanceMetres, bestRadial, site.DistanceMetres, radial);
            nearestCrossing = Math.Min(nearestCrossing, crossing);
            features.SetCandidate(
                rank,
                site.Site,
                (float)(site.LatencyMs - bestSite.LatencyMs),
                (float)Slope(site.Site, distance: false),
                (float)site.DistanceMetres,
                (float)(site.DistanceMetres - bestSite.DistanceMetres),
                (float)radial,
                speed > 0.5 ? (float)Math.Clamp(-radial / speed, -1, 1) : 0,
                crossing);
        }

        features.CandidateCount = ranks;
        features.NearestCrossingSeconds = nearestCrossing;
        return features;
    }

    /// <summary>
    /// For straight motion d_c² − d_b² is linear in time (the difference of two squared distances to fixed points), so
    /// the time it reaches zero is its value over its rate: (d_c² − d_b²) / (2(d_b·ḋ_b − d_c·ḋ_c)).
    /// </summary>
    private static float CrossingSeconds(double bestDistance, double bestRadial, double distance, double radial)
    {
        var gap = distance * distance - bestDistance * bestDistance;
        var closing = 2 * (bestDistance * bestRadial - distance * radial);
        if (gap <= 0)
        {
            return 0;
        }

        return closing > 1e-6 ? Cap(gap / closing) : HandoverFeatures.CapSeconds;
    }

    private static float Cap(double seconds) => (float)Math.Clamp(seconds, 0, HandoverFeatures.CapSeconds);

    private static void Sort(Span<int> order, SiteMeasurementBuffer sites)
    {
        // Insertion sort: at most a handful of entries.
        for (var i = 1; i < order.Length; i++)
        {
            var value = order[i];
            var j = i - 1;
            while (j >= 0 && Before(sites[value], sites[order[j]]))
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = value;
        }
    }

    internal static bool Before(in SiteMeasurement a, in SiteMeasurement b) =>
        a.LatencyMs < b.LatencyMs
        || (a.LatencyMs == b.LatencyMs && (a.DistanceMetres < b.DistanceMetres || (a.DistanceMetres == b.DistanceMetres && a.Site < b.Site)));

    /// <summary>Least-squares slope over the window of a site's distance (m/s) or latency (ms/s); 0 with fewer than two points.</summary>
    private double Slope(int site, bool distance)
    {
        double n = 0, sumT = 0, sumV = 0, sumTT = 0, sumTV = 0;
        var t0 = At(0).Time;
        for (var i = 0; i < _count; i++)
        {
            var snapshot = At(i);
            var index = snapshot.IndexOf(site);
            if (index < 0)
            {
                continue;
            }

            var time = snapshot.Time - t0;
            var value = distance ? snapshot.Sites[index].DistanceMetres : snapshot.Sites[index].LatencyMs;
            n++;
            sumT += time;
            sumV += value;
            sumTT += time * time;
            sumTV += time * value;
        }

        var denominator = n * sumTT - sumT * sumT;
        return n >= 2 && denominator > 1e-9 ? (n * sumTV - sumT * sumV) / denominator : 0;
    }

    private int IndexBefore(double time)
    {
        var index = 0;
        for (var i = 0; i < _count; i++)
        {
            if (At(i).Time <= time)
            {
                index = i;
            }
        }

        return Math.Min(index, _count - 2);
    }

    private double SpeedBetween(int from, int to, out double heading)
    {
        var a = At(from);
        var b = At(Math.Min(to, _count - 1));
        var dt = b.Time - a.Time;
        heading = Math.Atan2(b.X - a.X, b.Y - a.Y);
        return dt > 0 ? Distance(a, b) / dt : 0;
    }

    private static double Distance(Snapshot a, Snapshot b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static double AngleBetweenDegrees(double a, double b)
    {
        var difference = Math.Abs(a - b) % (2 * Math.PI);
        return (difference > Math.PI ? 2 * Math.PI - difference : difference) / DegreesToRadians;
    }

    /// <summary>One observation, stored in reused arrays so feeding the window does not allocate.</summary>
    private sealed class Snapshot
    {
        public double Time;
        public double X;
        public double Y;
        public int Count;
        public int BestIndex = -1;
        public SiteMeasurementBuffer Sites;

        public void Fill(ReadOnlySpan<SiteMeasurement> sites)
        {
            Count = 0;
            BestIndex = -1;
            foreach (var site in sites)
            {
                if (!double.IsFinite(site.LatencyMs) || !double.IsFinite(site.DistanceMetres) || site.Site < 0)
                {
                    continue; // an unmeasured site carries nothing
                }

                if (Count == MaxSitesPerObservation)
                {
                    // Full: keep the better ones.
                    var worst = 0;
                    for (var i = 1; i < Count; i++)
                    {
                        if (Before(Sites[worst], Sites[i]))
                        {
                            worst = i;
                        }
                    }

                    if (!Before(site, Sites[worst]))
                    {
                        continue;
                    }

                    Sites[worst] = site;
                }
                else
                {
                    Sites[Count++] = site;
                }
            }

            for (var i = 0; i < Count; i++)
            {
                if (BestIndex < 0 || Before(Sites[i], Sites[BestIndex]))
                {
                    BestIndex = i;
                }
            }
        }

        public int IndexOf(int site)
        {
            for (var i = 0; i < Count; i++)
            {
                if (Sites[i].Site == site)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(MaxSitesPerObservation)]
    private struct SiteMeasurementBuffer
    {
        private SiteMeasurement _element;
    }
}
