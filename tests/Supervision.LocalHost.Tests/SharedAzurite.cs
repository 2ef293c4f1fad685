using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The default collection: its classes run one after another on one Azurite, so a class sees the rows earlier classes
/// left but never another class's host at work. New test classes join it unless they have a reason not to.
/// </summary>
/// <remarks>
/// The suite runs several such lanes at once (<see cref="Http"/>, <see cref="Browsers"/>, <see cref="Workflows"/>,
/// <see cref="Monitoring"/>), each a collection with an Azurite of its own, so that inside every lane the guarantee above
/// still holds: a test that counts every row of a table, or a sweep that reads every engagement, sees only its lane.
/// A class moves to a lane by naming it in its <c>[Collection]</c>; lanes are balanced by wall time, not by meaning alone.
/// </remarks>
[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";

    /// <summary>The HTTP API, the contractors' links, evidence and mail: many short tests.</summary>
    public const string Http = "Azurite (HTTP API, links and mail)";

    /// <summary>Pages in Chromium: one browser at a time, as the browser is the heaviest thing the suite runs.</summary>
    public const string Browsers = "Azurite (browser pages)";

    /// <summary>Selection, contract and handover workflows: long tests waiting on the engine.</summary>
    public const string Workflows = "Azurite (selection, contract and handover workflows)";

    /// <summary>Reports, inspections, pledges and training of an active engagement.</summary>
    public const string Monitoring = "Azurite (monitoring workflows)";
}

[CollectionDefinition(SharedAzurite.Http)]
public sealed class HttpLane : ICollectionFixture<AzuriteFixture>;

[CollectionDefinition(SharedAzurite.Browsers)]
public sealed class BrowsersLane : ICollectionFixture<AzuriteFixture>;

[CollectionDefinition(SharedAzurite.Workflows)]
public sealed class WorkflowsLane : ICollectionFixture<AzuriteFixture>;

[CollectionDefinition(SharedAzurite.Monitoring)]
public sealed class MonitoringLane : ICollectionFixture<AzuriteFixture>;
