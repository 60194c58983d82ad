// TorchSharp's random generator (weight initialisation, dropout, torch.rand) is process-wide: tests that seed it
// and expect exact values must not interleave with other tests drawing from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
