namespace EdgeMigrate.Decision.Prediction;

/// <summary>One labelled example of the reach model.</summary>
/// <param name="Features">The site's feature vector (<see cref="SiteReachFeatures"/>), SLA included.</param>
/// <param name="SecondsToBreach">Seconds until the service, were it hosted on the site, first exceeded the SLA (0: already does), capped at the reach horizon.</param>
/// <param name="Group">Device (or any grouping) whose examples must stay on one side of the train/test split.</param>
public readonly record struct SiteReachExample(float[] Features, float SecondsToBreach, int Group);
