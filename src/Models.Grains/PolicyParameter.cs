using System.Globalization;

namespace EdgeMigrate.Models.Grains;

/// <summary>
/// One numeric parameter of <see cref="PolicySettings"/>: its name (as in JSON and scenario files), the name of its
/// command-line option, what it means, its valid range, and how to read and set it. The list is
/// <see cref="PolicyParameters.All"/>; validation, the simulator's scenario keys, options and sweeps all come from it.
/// </summary>
public sealed record PolicyParameter(
    string Name,
    string CommandLineName,
    string Description,
    double Min,
    double Max,
    bool MinExclusive,
    Func<PolicySettings, double> Get,
    Func<PolicySettings, double, PolicySettings> With)
{
    /// <summary>The value a new <see cref="PolicySettings"/> has.</summary>
    public double Default => Get(new PolicySettings());

    /// <summary>A message naming the parameter when its value in <paramref name="settings"/> is out of range; null when fine.</summary>
    public string? Check(PolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var value = Get(settings);
        var inRange = (MinExclusive ? value > Min : value >= Min) && value <= Max;
        return inRange
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Name} must be within {(MinExclusive ? '(' : '[')}{Min}, {Max}]");
    }
}
