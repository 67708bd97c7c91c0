// One test collection at a time: the fleet's three gateways under load and the platform's builds of every runtime
// share two cores, and together they starve each other into timeouts that test nothing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
