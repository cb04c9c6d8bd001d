namespace EdgeMigrate.Silo.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>Adds the demo fleet when <c>Demo:Devices</c> (<c>--demo-devices</c>) is above zero.</summary>
    public static IHostApplicationBuilder AddDemoFleet(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<DemoOptions, DemoOptionsValidator>().BindConfiguration(DemoOptions.Section);
        if (builder.Configuration.GetValue<int>($"{DemoOptions.Section}:{nameof(DemoOptions.Devices)}") > 0)
        {
            builder.Services.AddHostedService<DemoFleet>();
        }

        return builder;
    }
}
