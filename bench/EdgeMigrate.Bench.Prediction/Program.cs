using EdgeMigrate.Bench.Prediction;

return PredictionHarness.Run(args);
