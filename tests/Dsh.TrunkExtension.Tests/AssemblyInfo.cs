// TorchSharp's random generator and its thread count are process-wide, and the trunk registry is static: the tests of
// this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
