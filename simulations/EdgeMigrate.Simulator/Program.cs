using System.CommandLine;
using EdgeMigrate.Simulator.Cli;

var root = new RootCommand("EdgeMigrate handover simulator: compare migration policies over real (GTFS, traces) and synthetic mobility");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SweepCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(DriveCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
return await root.Parse(args).InvokeAsync();
