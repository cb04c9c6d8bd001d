using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>One policy's world during a run: its services' states, site occupancy, pending completions, and tallies.</summary>
internal sealed class PolicyRun(PolicySettings settings, IHandoverPolicy policy, int devices, int sites, int steps, int candidateSites)
{
    public PolicySettings Settings { get; } = settings;

    public IHandoverPolicy Policy { get; } = policy;

    public DeviceServiceState[] States { get; } = [.. Enumerable.Repeat(DeviceServiceState.Unplaced, devices)];

    public int[] Hosted { get; } = new int[sites];

    /// <summary>Migration completions, by (time, sequence) so equal times complete in start order.</summary>
    public PriorityQueue<int, (double Time, long Sequence)> Completions { get; } = new();

    public List<MigrationRecord> Records { get; } = [];

    public LatencyHistogram Histogram { get; } = new();

    public PolicyTimeline Timeline { get; } = new(steps);

    public List<double> LeadTimes { get; } = [];

    /// <summary>The observation buffer of this run (runs may go on different threads).</summary>
    public SiteMeasurement[] Measurements { get; } = new SiteMeasurement[candidateSites + 1];

    /// <summary>Policy evaluations, migration starts and completions of this run.</summary>
    public long Events { get; set; }

    public long Sequence { get; set; }

    public int Migrations { get; set; }

    public int Completed { get; set; }

    public int PingPongs { get; set; }

    public int Late { get; set; }

    public int NonConverged { get; set; }

    public int Refused { get; set; }

    public double ViolationSeconds { get; set; }

    public double DowntimeSeconds { get; set; }

    public double Bytes { get; set; }

    public double LatencySum { get; set; }

    public double DeviceSeconds { get; set; }
}
