using EdgeMigrate.Simulator.Bench;

return ThroughputHarness.Run(args);
