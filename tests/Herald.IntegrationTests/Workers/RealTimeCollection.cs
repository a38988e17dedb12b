namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The tests whose outcome rests on real time — leases that must expire, attempts that must reach the wire before
/// their timeout, a rate limit measured in one-second windows, thousands of articles through several workers. They
/// run one at a time, after every other test (which run in parallel, each on its own database, sandbox and ports),
/// so that nothing else in this test run competes with them for the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "Workers in real time";
}
